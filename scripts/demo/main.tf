# The configuration `make demo` applies against the Alation emulator.
# Credentials come from ALATION_BASE_URL and ALATION_API_ACCESS_TOKEN.
terraform {
  required_providers {
    alation = {
      source = "alation-community/alation"
    }
  }
}

provider "alation" {}

# Stands in for the DDL a real pipeline runs (snowflake_table, say): change
# it and the table is synced again, in place.
variable "orders_ddl" {
  type    = string
  default = "create table ORDERS (ID number, CUSTOMER_ID number)"
}

# Pipelines know their data source by title, not by id.
data "alation_datasource" "warehouse" {
  title = "Snowflake Prod"
}

resource "alation_table_sync" "orders" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  table         = "ORDERS"

  triggers = {
    ddl = sha1(var.orders_ddl)
  }
}

resource "alation_table_sync" "customers" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  table         = "CUSTOMERS"
  table_type    = "VIEW"
}

output "orders" {
  value = {
    id             = alation_table_sync.orders.id
    catalog_link   = alation_table_sync.orders.url
    schema_id      = alation_table_sync.orders.schema_id
    last_synced_at = alation_table_sync.orders.last_synced_at
  }
}

output "customers" {
  value = {
    id           = alation_table_sync.customers.id
    catalog_link = alation_table_sync.customers.url
    is_view      = alation_table_sync.customers.is_view
  }
}

output "warehouse" {
  value = "${data.alation_datasource.warehouse.title} (id ${data.alation_datasource.warehouse.id}, ${data.alation_datasource.warehouse.dbtype})"
}
