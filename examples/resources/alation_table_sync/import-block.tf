# Terraform 1.5+: import in configuration instead of on the command line.
import {
  to = alation_table_sync.orders
  id = "8/ANALYTICS.PUBLIC/ORDERS" # or Alation's table id, "17194"
}
