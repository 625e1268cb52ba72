data "alation_datasource" "warehouse" {
  title = "Snowflake Prod"
}

# Every table, view and other object the catalog holds in one schema.
# Names are case-sensitive; two-level sources take "database.schema".
data "alation_tables" "analytics" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
}

# Only the fact tables: a prefix, or an RE2 expression (both may be set).
data "alation_tables" "facts" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  name_prefix   = "FACT_"
  name_regex    = "_V[0-9]+$" # versioned ones only, such as FACT_ORDERS_V2
}

output "catalog_links" {
  value = { for t in data.alation_tables.analytics.tables : t.name => t.url }
}
