# Auth mode 1: an API access token made in Alation. It is never renewed and
# expires after 24 hours by default: fine for a one-off run, not for a
# pipeline.
variable "alation_api_access_token" {
  type      = string
  sensitive = true
}

provider "alation" {
  base_url         = "https://alation.example.com"
  api_access_token = var.alation_api_access_token

  # Behind a private certificate authority, and with a gentler load:
  ca_cert_file            = "/etc/ssl/certs/corp-ca.pem"
  max_concurrent_requests = 4
}
