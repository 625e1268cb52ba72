# Credentials from the environment keep secrets out of the configuration:
#   export ALATION_BASE_URL=https://alation.example.com
#   export ALATION_REFRESH_TOKEN=...   ALATION_USER_ID=42
provider "alation" {}
