package alationfake

// Values a real Alation hands out that the provider must take as they
// come: a table_type other than TABLE and VIEW (SYNONYM exists),
// partition_columns null rather than [], and a cap on whole listings.

// SetCatalogTableType records tableType, as it is, as the catalog entry's
// table_type, as an extraction would for the kinds besides TABLE and VIEW
// that real catalogs list (SYNONYM, EXTERNAL...). A sync of it keeps such a
// type, as the sync's own two are TABLE and VIEW. It reports whether id
// names a catalog entry.
func (f *Fake) SetCatalogTableType(id int64, tableType string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	t, ok := f.tables[id]
	if ok {
		t.TableType = tableType
	}
	return ok
}

// SetNullPartitionColumns makes the table listing answer
// partition_columns: null, rather than [], for tables without partition
// columns, as real instances do.
func (f *Fake) SetNullPartitionColumns(null bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nullPartitionColumns = null
}

// SetCatalogLimit caps every listing, all its pages together, at n rows,
// as Alation's alation.api.catalog.limit may: rows past the n-th are never
// listed, whatever skip asks, and the page that reaches the cap has no
// X-Next-Page. Zero (the default) caps each call only, at 1,000 rows.
func (f *Fake) SetCatalogLimit(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.catalogLimit = max(n, 0)
}

// listable is how many of a listing's total rows the catalog limit lets
// out.
func (f *Fake) listable(total int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.catalogLimit > 0 {
		return min(total, f.catalogLimit)
	}
	return total
}
