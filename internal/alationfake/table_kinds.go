package alationfake

// SetCatalogTableType records kind as the catalog entry's table_type, as
// it is, for the kinds besides TABLE and VIEW that real catalogs list
// (SYNONYM, EXTERNAL, ...): the listing then reports it unchanged. It
// reports whether id names a catalog entry.
func (f *Fake) SetCatalogTableType(id int64, kind string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tables[id]
	if ok {
		t.TableType = kind
	}
	return ok
}
