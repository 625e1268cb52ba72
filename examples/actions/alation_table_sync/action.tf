# Sync a table into the catalog each time Terraform creates or alters it,
# with no extra resource in state (Terraform 1.14 or later).
action "alation_table_sync" "orders" {
  config {
    datasource_id = 8
    schema        = "ANALYTICS.PUBLIC" # database.schema for two-level sources
    table         = "ORDERS"
  }
}

resource "snowflake_table" "orders" {
  database = "ANALYTICS"
  schema   = "PUBLIC"
  name     = "ORDERS"

  column {
    name = "ID"
    type = "NUMBER(38,0)"
  }

  column {
    name = "PLACED_AT"
    type = "TIMESTAMP_NTZ(9)"
  }

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.alation_table_sync.orders]
    }
  }
}

# To sync again by hand, without changing anything:
#   terraform apply -invoke=action.alation_table_sync.orders
