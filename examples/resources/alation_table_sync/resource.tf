# The DDL that created or last altered the table, as your pipeline knows it
# (in practice, an attribute of the resource that ran the DDL).
variable "orders_ddl" {
  type = string
}

# Sync the table into the catalog right after its DDL, and again whenever
# the DDL changes.
resource "alation_table_sync" "orders" {
  datasource_id = 8
  schema        = "ANALYTICS.PUBLIC" # database.schema for two-level sources
  table         = "ORDERS"

  triggers = {
    ddl = sha1(var.orders_ddl)
  }

  timeouts = {
    create = "5m"
  }
}

output "orders_catalog_link" {
  value = alation_table_sync.orders.url
}

# What stewards curate in Alation (title, description, custom fields) is not
# the sync's to keep: read it, live, from the catalog.
data "alation_table" "orders" {
  id = alation_table_sync.orders.id
}

output "orders_title" {
  value = data.alation_table.orders.title
}
