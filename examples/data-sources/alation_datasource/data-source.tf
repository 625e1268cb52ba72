# Name the data source by its title in Alation instead of hard-coding its id.
# The title must match exactly (case and spaces included); Alation's newer
# (OCF, Integration API v2) and older native (v1) sources are both searched.
data "alation_datasource" "warehouse" {
  title = "Snowflake Prod"
}

# Or by id, when the title is not unique.
data "alation_datasource" "ops" {
  id = 3
}

resource "alation_table_sync" "orders" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  table         = "ORDERS"
}

output "warehouse" {
  value = {
    id          = data.alation_datasource.warehouse.id
    dbtype      = data.alation_datasource.warehouse.dbtype
    api_version = data.alation_datasource.warehouse.api_version # "v2" or "v1"
    catalog     = data.alation_datasource.warehouse.url
  }
}
