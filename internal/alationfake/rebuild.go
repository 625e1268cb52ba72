package alationfake

import (
	"cmp"
	"slices"
)

// CatalogEntry names a table or view for RebuildCatalog.
type CatalogEntry struct {
	DSID      int64
	Schema    string
	Table     string
	TableType string // "TABLE" or "VIEW"
}

// RebuildCatalog plays a catalog built afresh: an Alation restarted on an
// empty database, or another instance behind the same base URL (staging
// pointed at production). Every catalog entry is dropped; entries are then
// catalogued in the order given, under ids counted from the first again
// (17000, 17001, ...), so an id a client kept may now name another table,
// in another data source, a view, or nothing. Schemas get new ids too,
// those of entries first, in order. The database side stays as it was
// (data sources, schemas and their exclusion, source tables); an entry the
// database lacks is added to it. Request log and counters are kept.
func (f *Fake) RebuildCatalog(entries ...CatalogEntry) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.renumberSchemas(entries)
	f.tables = map[int64]*Table{}
	f.tableByKey = map[tableKey]int64{}
	f.nextTableID = firstTableID
	for _, e := range entries {
		k := tableKey{e.DSID, e.Schema, e.Table}
		tt := normType(e.TableType)
		f.sourceTables[k] = tt
		f.catalogue(k, tt)
	}
}

// renumberSchemas hands every schema a new id from firstSchemaID: the
// entries' schemas first, in order, then the others by their old ids.
// Callers hold f.mu.
func (f *Fake) renumberSchemas(entries []CatalogEntry) {
	old := make([]*schema, 0, len(f.schemas))
	for _, s := range f.schemas {
		old = append(old, s)
	}
	slices.SortFunc(old, func(a, b *schema) int { return cmp.Compare(a.id, b.id) })
	f.schemas, f.schemaByName, f.nextSchemaID = map[int64]*schema{}, map[schemaKey]int64{}, firstSchemaID
	byName := map[schemaKey]*schema{}
	for _, s := range old {
		byName[schemaKey{s.dsID, s.name}] = s
	}
	renumber := func(k schemaKey) {
		s := byName[k]
		if s == nil {
			s = &schema{dsID: k.dsID, name: k.schema}
		}
		if _, done := f.schemaByName[k]; done {
			return
		}
		s.id = f.nextSchemaID
		f.nextSchemaID++
		f.schemas[s.id] = s
		f.schemaByName[k] = s.id
	}
	for _, e := range entries {
		renumber(schemaKey{e.DSID, e.Schema})
	}
	for _, s := range old {
		renumber(schemaKey{s.dsID, s.name})
	}
}
