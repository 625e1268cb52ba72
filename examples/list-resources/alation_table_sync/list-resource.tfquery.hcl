# Finds the tables Alation already catalogues in one schema, to bring them
# under Terraform (Terraform 1.14 and later):
#
#   terraform query                                  # list what is there
#   terraform query -generate-config-out=tables.tf  # write an import and a resource block for each
#   terraform plan                                   # review the imports, then terraform apply
#
# Importing reads the catalog and never syncs.
list "alation_table_sync" "orders" {
  provider = alation
  limit    = 500

  config {
    datasource_id = 8
    schema        = "main.dbo"
    name_prefix   = "ORDERS_"
  }
}
