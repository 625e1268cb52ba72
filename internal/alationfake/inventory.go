package alationfake

import (
	"cmp"
	"slices"
)

// InventoryDataSource is a data source and what it holds, as Inventory
// reports it.
type InventoryDataSource struct {
	DataSource
	Schemas []InventorySchema
}

// InventorySchema is a schema of a data source.
type InventorySchema struct {
	Name string
	// Excluded schemas answer every sync with 400.
	Excluded bool
	// NotCatalogued schemas are in the database only: every sync answers
	// 404 until ExtractSchema.
	NotCatalogued bool
	Tables        []InventoryTable
}

// InventoryTable is a table or view, in the database, the catalog or both.
type InventoryTable struct {
	Name      string
	TableType string // "TABLE" or "VIEW"
	// InSource is true when the database has it: a sync finds it.
	InSource bool
	// CatalogID is its Alation id once catalogued, 0 before.
	CatalogID int64
	// Denied tables are hidden from the data source's service account: a
	// sync answers 403.
	Denied bool
}

// Inventory lists what the fake holds, for people (the command prints it on
// start): data sources by id, each with its schemas and their tables by
// name. It reads the fake's current state, so it is true of any seed.
func (f *Fake) Inventory() []InventoryDataSource {
	f.mu.Lock()
	defer f.mu.Unlock()
	tables := map[schemaKey]map[string]*InventoryTable{}
	table := func(k tableKey) *InventoryTable {
		sk := schemaKey{k.dsID, k.schema}
		if tables[sk] == nil {
			tables[sk] = map[string]*InventoryTable{}
		}
		if tables[sk][k.table] == nil {
			tables[sk][k.table] = &InventoryTable{Name: k.table, TableType: "TABLE", Denied: f.denied[k]}
		}
		return tables[sk][k.table]
	}
	for k, tt := range f.sourceTables {
		t := table(k)
		t.TableType, t.InSource = tt, true
	}
	for k, id := range f.tableByKey {
		t := table(k)
		t.CatalogID, t.TableType = id, f.tables[id].TableType
	}

	sources := map[int64]*InventoryDataSource{}
	for id, ds := range f.dataSources {
		sources[id] = &InventoryDataSource{DataSource: *ds}
	}
	type dsSchema struct {
		dsID int64
		InventorySchema
	}
	schemas := make([]dsSchema, 0, len(f.schemas)+len(f.uncatalogued))
	for _, s := range f.schemas {
		schemas = append(schemas, dsSchema{s.dsID, InventorySchema{Name: s.name, Excluded: s.excluded}})
	}
	for k := range f.uncatalogued {
		schemas = append(schemas, dsSchema{k.dsID, InventorySchema{Name: k.schema, NotCatalogued: true}})
	}
	for _, s := range schemas {
		ds := sources[s.dsID]
		if ds == nil { // a schema added for a data source never registered
			ds = &InventoryDataSource{DataSource: DataSource{ID: s.dsID}}
			sources[s.dsID] = ds
		}
		is := s.InventorySchema
		for _, t := range tables[schemaKey{s.dsID, s.Name}] {
			is.Tables = append(is.Tables, *t)
		}
		slices.SortFunc(is.Tables, func(a, b InventoryTable) int { return cmp.Compare(a.Name, b.Name) })
		ds.Schemas = append(ds.Schemas, is)
	}
	out := make([]InventoryDataSource, 0, len(sources))
	for _, ds := range sources {
		slices.SortFunc(ds.Schemas, func(a, b InventorySchema) int { return cmp.Compare(a.Name, b.Name) })
		out = append(out, *ds)
	}
	slices.SortFunc(out, func(a, b InventoryDataSource) int { return cmp.Compare(a.ID, b.ID) })
	return out
}
