package alationfake

import (
	"cmp"
	"slices"
)

// A schema created in the database is unknown to Alation until a metadata
// extraction of its data source has catalogued it: until then the sync,
// which reads one table of a schema Alation knows, answers 404 ("Data
// Source or Schema is invalid"), and no table sync can change that.

// AddSourceSchema makes a schema exist in the database but not in the
// catalog, as after CREATE SCHEMA: it is not listed, and a sync of any of
// its tables answers 404 until ExtractSchema. Tables added to it with
// AddSourceTable stay in the database only. A schema already catalogued
// is left as it is.
func (f *Fake) AddSourceSchema(dsID int64, schemaName string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := schemaKey{dsID, schemaName}
	if _, ok := f.schemaByName[k]; !ok {
		f.uncatalogued[k] = true
	}
}

// ExtractSchema plays a metadata extraction of data source dsID with one
// schema selected (Alation's Settings > Metadata Extraction, Run Extraction
// Now): the schema enters the catalog with the tables of it the service
// account can see. It returns the schema's id, or false when the data
// source or the database has no such schema (nothing changes then).
func (f *Fake) ExtractSchema(dsID int64, schemaName string) (int64, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := schemaKey{dsID, schemaName}
	_, catalogued := f.schemaByName[k]
	if _, ok := f.dataSources[dsID]; !ok || (!catalogued && !f.uncatalogued[k]) {
		return 0, false
	}
	s := f.ensureSchema(dsID, schemaName)
	var found []tableKey
	for tk := range f.sourceTables {
		if tk.dsID == dsID && tk.schema == schemaName && !f.denied[tk] {
			found = append(found, tk)
		}
	}
	// By name, so that ids do not depend on map order.
	slices.SortFunc(found, func(a, b tableKey) int { return cmp.Compare(a.table, b.table) })
	for _, tk := range found {
		f.catalogue(tk, f.sourceTables[tk])
	}
	return s.id, true
}
