# Terraform 1.12+: adopt a catalogued table by its identity, what a person
# knows of it, instead of an import ID.
import {
  to = alation_table_sync.customers
  identity = {
    datasource_id = 8
    schema        = "ANALYTICS.PUBLIC"
    table         = "CUSTOMERS"
  }
}

resource "alation_table_sync" "customers" {
  datasource_id = 8
  schema        = "ANALYTICS.PUBLIC"
  table         = "CUSTOMERS"
  table_type    = "VIEW"
}
