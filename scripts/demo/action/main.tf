# The second half of `make demo`, on Terraform 1.14 or later: the
# alation_table_sync action syncs a table whenever the resource that runs its
# DDL is created or changed, with nothing added to state.
terraform {
  required_providers {
    alation = {
      source = "alation-community/alation"
    }
  }
}

provider "alation" {}

# Stands in for the DDL a real pipeline runs (databricks_sql_table, say).
variable "returns_ddl" {
  type    = string
  default = "create table main.sales.returns (id bigint, order_id bigint)"
}

action "alation_table_sync" "returns" {
  config {
    datasource_id = 14
    schema        = "main.sales"
    table         = "returns"
  }
}

resource "terraform_data" "returns_table" {
  input = var.returns_ddl

  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.alation_table_sync.returns]
    }
  }
}
