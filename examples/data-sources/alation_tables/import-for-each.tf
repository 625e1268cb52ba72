# Terraform 1.7+: adopt every table and view a schema has in the catalog
# into alation_table_sync, with one import block and one resource block.
# Importing reads the catalog only: nothing is synced until a table's
# triggers change. alation_table_sync syncs tables and views, so other kinds
# of catalog entry (a SYNONYM, say) are left out.
data "alation_tables" "landing" {
  datasource_id = 8
  schema        = "ANALYTICS.LANDING"
}

locals {
  landing = {
    for t in data.alation_tables.landing.tables : t.name => t
    if contains(["TABLE", "VIEW"], t.table_type)
  }
}

import {
  for_each = local.landing
  to       = alation_table_sync.landing[each.key]
  id       = each.value.id # Alation's table id
}

resource "alation_table_sync" "landing" {
  for_each      = local.landing
  datasource_id = 8
  schema        = "ANALYTICS.LANDING"
  table         = each.key
  table_type    = each.value.table_type
}
