# Auth mode 3: OAuth 2.0 client credentials of an Alation Cloud service
# account.
variable "alation_client_secret" {
  type      = string
  sensitive = true
}

provider "alation" {
  base_url      = "https://acme.alationcloud.com"
  client_id     = "terraform-pipeline"
  client_secret = var.alation_client_secret
}
