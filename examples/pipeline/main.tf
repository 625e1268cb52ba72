# A pipeline that owns a table's DDL and keeps the Alation catalog in step.
#
# The DDL runs through terraform_data with a local-exec here so that the
# example needs no database provider; with a real one (snowflake_table,
# postgresql_..., databricks_sql_table) point the sync at that resource the
# same way.
terraform {
  required_providers {
    alation = {
      source = "alation-community/alation"
    }
  }
}

provider "alation" {}

variable "orders_columns" {
  description = "Column definitions of ANALYTICS.PUBLIC.ORDERS."
  type        = list(string)
  default     = ["ID NUMBER NOT NULL", "CUSTOMER_ID NUMBER", "STATUS VARCHAR(16)"]
}

locals {
  orders_ddl = "CREATE OR REPLACE TABLE ANALYTICS.PUBLIC.ORDERS (${join(", ", var.orders_columns)})"
}

# 1. The DDL. It runs again whenever the column list changes.
resource "terraform_data" "orders_ddl" {
  input = local.orders_ddl

  provisioner "local-exec" {
    command = "snowsql -q \"$DDL\""
    environment = {
      DDL = self.input
    }
  }
}

data "alation_datasource" "warehouse" {
  title = "Snowflake Prod"
}

# 2. The sync, after the DDL. `triggers` re-syncs in place when the DDL
# changes: the resource keeps its catalog id, and only the sync is repeated.
resource "alation_table_sync" "orders" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  table         = "ORDERS"

  triggers = {
    ddl = sha1(terraform_data.orders_ddl.output)
  }

  # Metadata views can trail the DDL by a few seconds on some warehouses.
  wait_for_table_timeout = "1m"
}

# The alternative: replace_triggered_by plans a replacement (destroy, then
# create) of the sync whenever the DDL resource changes. Destroy makes no
# API call, so the effect on Alation is the same sync; the difference is
# Terraform's plan ("must be replaced" rather than "update in-place") and
# that every attribute is recomputed.
resource "alation_table_sync" "orders_view" {
  datasource_id = data.alation_datasource.warehouse.id
  schema        = "ANALYTICS.PUBLIC"
  table         = "ORDERS_OPEN"
  table_type    = "VIEW"

  lifecycle {
    replace_triggered_by = [terraform_data.orders_ddl]
  }
}

output "orders_catalog_page" {
  value = alation_table_sync.orders.url
}
