# Terraform 1.10+ (OpenTofu 1.11+). A short-lived token, made from the
# provider's own credentials, for calls to Alation APIs the provider has no
# resource for: no long-lived token in a variable, none in plan or state.
ephemeral "alation_access_token" "api" {}

variable "alation_url" {
  type    = string
  default = "https://alation.example.com"
}

# A provisioner may take ephemeral values: here curl exports the glossary
# terms after each apply that changes the glossary id.
variable "glossary_id" {
  type = number
}

resource "terraform_data" "terms_export" {
  triggers_replace = [var.glossary_id]

  provisioner "local-exec" {
    command = "curl --fail --silent --show-error -H \"TOKEN: $ALATION_TOKEN\" \"$ALATION_URL/integration/v2/term/?glossary_id=${var.glossary_id}\" > terms.json"
    environment = {
      ALATION_TOKEN = ephemeral.alation_access_token.api.token
      ALATION_URL   = var.alation_url
    }
  }
}
