package provider

import (
	"fmt"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// tableSyncModel is the state of one alation_table_sync.
type tableSyncModel struct {
	DatasourceID wholeNumber    `tfsdk:"datasource_id"`
	Schema       types.String   `tfsdk:"schema"`
	Table        types.String   `tfsdk:"table"`
	TableType    types.String   `tfsdk:"table_type"`
	Triggers     types.Map      `tfsdk:"triggers"`
	ID           types.Int64    `tfsdk:"id"`
	URL          types.String   `tfsdk:"url"`
	SchemaID     types.Int64    `tfsdk:"schema_id"`
	IsView       types.Bool     `tfsdk:"is_view"`
	LastSyncedAt types.String   `tfsdk:"last_synced_at"`
	WaitForTable types.String   `tfsdk:"wait_for_table_timeout"`
	OnFailure    types.String   `tfsdk:"on_failure"`
	Synced       types.Bool     `tfsdk:"synced"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

// tableIdentityModel is alation_table_sync's resource identity: what a
// person knows about a table. The catalog id is not part of it, as it
// changes when a table is dropped from the catalog and synced again.
type tableIdentityModel struct {
	DatasourceID wholeNumber  `tfsdk:"datasource_id"`
	Schema       types.String `tfsdk:"schema"`
	Table        types.String `tfsdk:"table"`
}

// identity is m's resource identity.
func (m *tableSyncModel) identity() tableIdentityModel {
	return tableIdentityModel{DatasourceID: m.DatasourceID, Schema: m.Schema, Table: m.Table}
}

// catalogIdentity is the identity of a catalogued table.
func catalogIdentity(t *alation.CatalogTable) tableIdentityModel {
	return tableIdentityModel{
		DatasourceID: wholeNumberValue(int64(t.DSID)),
		Schema:       types.StringValue(t.SchemaName),
		Table:        types.StringValue(t.Name),
	}
}

func (m *tableSyncModel) syncInput() alation.SyncTableInput {
	return alation.SyncTableInput{
		DatasourceID: m.DatasourceID.ValueInt64(),
		Schema:       m.Schema.ValueString(),
		Table:        m.Table.ValueString(),
		TableType:    m.TableType.ValueString(),
	}
}

// tableWait is wait_for_table_timeout, zero when unset (validated already).
func (m *tableSyncModel) tableWait() time.Duration {
	d, _ := time.ParseDuration(m.WaitForTable.ValueString())
	return d
}

// describe names the table for messages, "ds 8, main.dbo.foobar (id 17194)".
func (m *tableSyncModel) describe() string {
	s := m.syncInput().String()
	if m.DatasourceID.IsNull() {
		s = "the table"
	}
	if !m.ID.IsNull() && !m.ID.IsUnknown() {
		s += fmt.Sprintf(" (id %d)", m.ID.ValueInt64())
	}
	return s
}

// setSynced fills the computed attributes from a sync answer. What Alation
// did not say is null, never a zero value; an omitted table_type (unknown
// in the plan) becomes what Alation reports, or null when it did not say.
func (m *tableSyncModel) setSynced(t *alation.SyncedTable, absURL func(string) string, now time.Time) {
	m.ID = types.Int64Value(int64(t.ID))
	m.URL = types.StringNull()
	if t.URL != "" {
		m.URL = types.StringValue(absURL(t.URL))
	}
	m.SchemaID = types.Int64Null()
	if t.SchemaID > 0 {
		m.SchemaID = types.Int64Value(int64(t.SchemaID))
	}
	m.IsView = types.BoolPointerValue(t.IsView)
	if m.TableType.IsUnknown() || m.TableType.IsNull() {
		m.TableType = types.StringNull()
		if t.IsView != nil {
			m.TableType = types.StringValue(tableTypeOf(*t.IsView))
		}
	}
	m.LastSyncedAt = types.StringValue(now.UTC().Format(lastSyncedLayout))
	m.Synced = types.BoolValue(true)
}

// settle holds a sync's answer, in m, to what the plan promised: Terraform
// rejects an apply whose result differs from a planned value it knew. A
// value the answer left unsaid keeps the planned one, which Alation gave
// for the same entry (the id is compared too). It returns what the answer
// contradicts, id first.
func (m *tableSyncModel) settle(planned tableSyncModel) []change {
	var changed []change
	settleValue("id", &m.ID, planned.ID, &changed)
	settleValue("url", &m.URL, planned.URL, &changed)
	settleValue("schema_id", &m.SchemaID, planned.SchemaID, &changed)
	settleValue("is_view", &m.IsView, planned.IsView, &changed)
	return changed
}

// change is an attribute whose sync answer contradicts the plan.
type change struct {
	name          string
	now, recorded attr.Value
}

func (c change) String() string { return fmt.Sprintf("%s %s (recorded %s)", c.name, c.now, c.recorded) }

func settleValue[T attr.Value](name string, got *T, planned T, changed *[]change) {
	switch {
	case planned.IsUnknown():
	case (*got).IsNull():
		*got = planned
	case !(*got).Equal(planned):
		*changed = append(*changed, change{name, *got, planned})
	}
}

// owns reports whether a catalog entry read by the resource's id is the
// resource's own table. A rebuilt catalog, or base_url pointed at another
// Alation, hands the id to another table; just after an import by id there
// is nothing to compare yet.
func (m *tableSyncModel) owns(t *alation.CatalogTable) bool {
	return m.DatasourceID.IsNull() || t.IsNamed(m.DatasourceID.ValueInt64(), m.Schema.ValueString(), m.Table.ValueString())
}

// setCatalog refreshes from the Integration API's view of the table;
// last_synced_at, which only a sync knows, is kept. After an import the
// identity and table_type are still null and are filled in here.
func (m *tableSyncModel) setCatalog(t *alation.CatalogTable, absURL func(string) string) {
	if m.DatasourceID.IsNull() {
		m.DatasourceID = wholeNumberValue(int64(t.DSID))
		m.Schema = types.StringValue(t.SchemaName)
		m.Table = types.StringValue(t.Name)
	}
	isView := t.TableType == "VIEW"
	if m.TableType.IsNull() || m.TableType.IsUnknown() {
		m.TableType = types.StringValue(tableTypeOf(isView))
	}
	m.ID = types.Int64Value(int64(t.ID))
	m.URL = types.StringValue(absURL(t.URL))
	m.SchemaID = types.Int64Value(int64(t.SchemaID))
	m.IsView = types.BoolValue(isView)
	if m.LastSyncedAt.IsUnknown() {
		m.LastSyncedAt = types.StringNull()
	}
	if m.Synced.IsNull() || m.Synced.IsUnknown() {
		m.Synced = types.BoolValue(true) // imported, or a state from before synced existed
	}
}

// objectKind names the kind of catalog entry for messages.
func objectKind(isView bool) string {
	if isView {
		return "a view"
	}
	return "a table"
}

// tableTypeOf is the table_type that says what the catalog entry is.
func tableTypeOf(isView bool) string {
	if isView {
		return "VIEW"
	}
	return defaultTableType
}

// equal reports whether every attribute of m equals o's. It walks the
// struct so that an attribute added later cannot be forgotten here.
func (m tableSyncModel) equal(o tableSyncModel) bool {
	a, b := reflect.ValueOf(m), reflect.ValueOf(o)
	for i := range a.NumField() {
		x, okX := a.Field(i).Interface().(attr.Value)
		y, okY := b.Field(i).Interface().(attr.Value)
		if !okX || !okY || !x.Equal(y) {
			return false // not comparable: say different, so that the state is written
		}
	}
	return true
}

// copyComputed carries every computed attribute over from the prior state.
func (m *tableSyncModel) copyComputed(prior tableSyncModel) {
	m.ID, m.URL, m.SchemaID, m.IsView, m.LastSyncedAt, m.Synced = prior.ID, prior.URL, prior.SchemaID, prior.IsView, prior.LastSyncedAt, prior.Synced
}

// lastSyncedLayout is RFC 3339 with milliseconds, so that two syncs in the
// same second still differ.
const lastSyncedLayout = "2006-01-02T15:04:05.000Z07:00"
