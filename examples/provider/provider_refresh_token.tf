# Auth mode 2: a refresh token and the id of the user it belongs to. The
# provider mints short-lived access tokens and renews them as they expire.
variable "alation_refresh_token" {
  type      = string
  sensitive = true
}

provider "alation" {
  base_url      = "https://alation.example.com"
  refresh_token = var.alation_refresh_token
  user_id       = 42
}
