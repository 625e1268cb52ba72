# By Alation's table id:
terraform import alation_table_sync.orders 17194

# By data source id, schema and table (the table is everything after the second slash):
terraform import alation_table_sync.orders 8/ANALYTICS.PUBLIC/ORDERS
