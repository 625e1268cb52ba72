data "alation_datasource" "warehouse" {
  title = "Snowflake Prod"
}

# Read a table's catalog entry without syncing it. Names are case-sensitive;
# two-level sources take "database.schema".
data "alation_table" "customers" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  name          = "CUSTOMERS"
}

# Or by Alation's table id, the number in the catalog page's address.
data "alation_table" "order_items" {
  id = 17194
}

output "customers_catalog_link" {
  value = data.alation_table.customers.url
}

output "customers_steward" {
  # Custom fields keep Alation's shape: value, values or objects.
  value = one([
    for f in data.alation_table.customers.custom_fields : f.objects
    if f.field_name == "Steward"
  ])
}
