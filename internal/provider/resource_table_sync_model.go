package provider

import (
	"context"
	"fmt"
	"reflect"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
)

// tableSyncModel is the state of one alation_table_sync.
type tableSyncModel struct {
	DatasourceID types.Int64    `tfsdk:"datasource_id"`
	Schema       types.String   `tfsdk:"schema"`
	Table        types.String   `tfsdk:"table"`
	TableType    types.String   `tfsdk:"table_type"`
	Triggers     types.Map      `tfsdk:"triggers"`
	ID           types.Int64    `tfsdk:"id"`
	URL          types.String   `tfsdk:"url"`
	DSID         types.Int64    `tfsdk:"ds_id"`
	SchemaID     types.Int64    `tfsdk:"schema_id"`
	Name         types.String   `tfsdk:"name"`
	SchemaName   types.String   `tfsdk:"schema_name"`
	Title        types.String   `tfsdk:"title"`
	Description  types.String   `tfsdk:"description"`
	DBComment    types.String   `tfsdk:"db_comment"`
	LastSyncedAt types.String   `tfsdk:"last_synced_at"`
	IsView       types.Bool     `tfsdk:"is_view"`
	Synonyms     types.List     `tfsdk:"synonyms"`
	CustomFields types.List     `tfsdk:"custom_fields"`
	WaitForTable types.String   `tfsdk:"wait_for_table_timeout"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

// tableIdentityModel is alation_table_sync's resource identity: what a
// person knows about a table. The catalog id is not part of it, as it
// changes when a table is dropped from the catalog and synced again.
type tableIdentityModel struct {
	DatasourceID types.Int64  `tfsdk:"datasource_id"`
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
		DatasourceID: types.Int64Value(int64(t.DSID)),
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

// setSynced fills the computed attributes from a sync answer.
func (m *tableSyncModel) setSynced(ctx context.Context, t *alation.SyncedTable, absURL func(string) string, now time.Time) diag.Diagnostics {
	m.ID = types.Int64Value(int64(t.ID))
	m.URL = types.StringValue(absURL(t.URL))
	m.DSID = types.Int64Value(int64(t.DSID))
	m.SchemaID = types.Int64Value(int64(t.SchemaID))
	m.Name = types.StringValue(t.Name)
	m.SchemaName = types.StringValue(t.SchemaName)
	m.Title = types.StringValue(t.Title)
	m.Description = types.StringValue(t.Description)
	m.IsView = types.BoolValue(t.IsView)
	m.DBComment = flexString(t.DBComment)
	m.LastSyncedAt = types.StringValue(now.UTC().Format(lastSyncedLayout))
	var diags diag.Diagnostics
	m.Synonyms = stringList(ctx, t.Synonyms, &diags)
	m.CustomFields = customFieldsValue(ctx, t.CustomFields, &diags)
	return diags
}

// setCatalog refreshes from the Integration API's view of the table. Fields
// that only a sync returns (db_comment, synonyms, last_synced_at) are kept.
// After an import the identity is still null and is filled in here.
func (m *tableSyncModel) setCatalog(ctx context.Context, t *alation.CatalogTable, absURL func(string) string) diag.Diagnostics {
	if m.DatasourceID.IsNull() {
		m.DatasourceID = types.Int64Value(int64(t.DSID))
		m.Schema = types.StringValue(t.SchemaName)
		m.Table = types.StringValue(t.Name)
	}
	if m.TableType.IsNull() {
		m.TableType = types.StringValue("TABLE")
		if t.TableType == "VIEW" {
			m.TableType = types.StringValue("VIEW")
		}
	}
	m.ID = types.Int64Value(int64(t.ID))
	m.URL = types.StringValue(absURL(t.URL))
	m.DSID = types.Int64Value(int64(t.DSID))
	m.SchemaID = types.Int64Value(int64(t.SchemaID))
	m.Name = types.StringValue(t.Name)
	m.SchemaName = types.StringValue(t.SchemaName)
	m.Title = types.StringValue(t.Title)
	m.Description = types.StringValue(t.Description)
	m.IsView = types.BoolValue(t.TableType == "VIEW")
	if m.Synonyms.IsUnknown() || m.Synonyms.IsNull() {
		m.Synonyms = types.ListNull(types.StringType)
	}
	if m.DBComment.IsUnknown() {
		m.DBComment = types.StringNull()
	}
	if m.LastSyncedAt.IsUnknown() {
		m.LastSyncedAt = types.StringNull()
	}
	var diags diag.Diagnostics
	m.CustomFields = customFieldsValue(ctx, t.CustomFields, &diags)
	return diags
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
	m.ID, m.URL, m.DSID, m.SchemaID = prior.ID, prior.URL, prior.DSID, prior.SchemaID
	m.Name, m.SchemaName, m.Title, m.Description = prior.Name, prior.SchemaName, prior.Title, prior.Description
	m.DBComment, m.LastSyncedAt, m.IsView = prior.DBComment, prior.LastSyncedAt, prior.IsView
	m.Synonyms, m.CustomFields = prior.Synonyms, prior.CustomFields
}

func flexString(s alation.FlexString) types.String {
	if !s.Valid {
		return types.StringNull()
	}
	return types.StringValue(s.Value)
}

func stringList(ctx context.Context, ss []string, diags *diag.Diagnostics) types.List {
	if ss == nil {
		return types.ListNull(types.StringType)
	}
	v, d := types.ListValueFrom(ctx, types.StringType, ss)
	diags.Append(d...)
	return v
}

// lastSyncedLayout is RFC 3339 with milliseconds, so that two syncs in the
// same second still differ.
const lastSyncedLayout = "2006-01-02T15:04:05.000Z07:00"
