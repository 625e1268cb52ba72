# Terraform 1.16+: many tables, one action block. The action takes the
# for_each of the DDL resource that triggers it, and each table triggers
# its own instance (each.key in the action's configuration).
variable "marts" {
  description = "Table name => its columns' name and type."
  type        = map(map(string))
}

action "alation_table_sync" "marts" {
  for_each = var.marts
  config {
    datasource_id = 8
    schema        = "ANALYTICS.MARTS"
    table         = each.key
  }
}

resource "snowflake_table" "marts" {
  for_each = var.marts
  database = "ANALYTICS"
  schema   = "MARTS"
  name     = each.key

  dynamic "column" {
    for_each = each.value
    content {
      name = column.key
      type = column.value
    }
  }

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.alation_table_sync.marts[each.key]]
    }
  }
}

# To sync one table again by hand:
#   terraform apply -invoke='action.alation_table_sync.marts["MART_ORDERS"]'
