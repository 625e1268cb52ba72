package alation

import (
	"testing"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// The catalog's own table_type comes through as it is (SYNONYM), a
// synonym is not a view, and partition_columns null is nil, [] empty.
func TestGetTable_valuesAsAlationGivesThem(t *testing.T) {
	w := newWorld(t)
	syn := w.fake.AddCatalogTable(testDS, testSchema, "ORDERS_SYN", "TABLE")
	w.fake.SetCatalogTableType(syn, "SYNONYM")
	c := newClient(t, w.url, w.static())
	got, err := c.GetTable(t.Context(), syn)
	if err != nil || got.TableType != "SYNONYM" || got.PartitionColumns == nil || len(got.PartitionColumns) != 0 {
		t.Fatalf("%+v, %v", got, err)
	}
	w.fake.SetNullPartitionColumns(true)
	if got, err = c.GetTable(t.Context(), syn); err != nil || got.PartitionColumns != nil {
		t.Fatalf("null partition_columns: %+v, %v", got, err)
	}
	w.fake.SetSyncAnswer(alationfake.SyncAnswerIDOnly) // is_view comes from the read back
	synced, err := c.SyncTable(t.Context(), SyncTableInput{DatasourceID: testDS, Schema: testSchema, Table: "ORDERS_SYN"})
	if err != nil || synced.IsView == nil || *synced.IsView {
		t.Fatalf("sync of a synonym: %+v, %v", synced, err)
	}
}
