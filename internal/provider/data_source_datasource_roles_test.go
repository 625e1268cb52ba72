package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/alation-community/terraform-provider-alation/internal/alationfake"
)

// as is the catalog seen with the credentials of a new user of that role.
func (c *testCatalog) as(id int64, role alationfake.Role) *testCatalog {
	c.fake.AddUserWithRole(id, role)
	return &testCatalog{fake: c.fake, url: c.url, token: c.fake.IssueAccessToken(id, 24*time.Hour)}
}

// A Catalog Admin's look-up by title works however Alation refuses it
// include_hidden=true (403, 400, or leaving hidden sources out in
// silence), at the cost of one more listing at most; a hidden source is
// then not found by title, and the error says why and what to do, and
// found by id.
func TestAccDataSourceDatasource_catalogAdmin(t *testing.T) {
	for _, refusal := range alationfake.IncludeHiddenRefusals {
		t.Run(refusal.String(), func(t *testing.T) {
			c := newTestCatalog(t)
			c.fake.SetIncludeHiddenRefusal(refusal)
			c.fake.AddDataSource(alationfake.DataSource{ID: 3, Title: "Postgres Ops", Legacy: true})
			c.fake.AddDataSource(alationfake.DataSource{ID: 9, Title: "Staging", Hidden: true})
			admin := c.as(5, alationfake.RoleCatalogAdmin)
			hiddenWords := []string{"If the source is hidden in Alation's UI, it may not be listed", "Look a hidden source up by id"}
			if refusal != alationfake.HiddenIgnored {
				hiddenWords = []string{"Hidden data sources were not searched", "Server Admins only", "look it up by id"}
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(nil),
				Steps: []resource.TestStep{
					{
						PreConfig: c.fake.ResetLog,
						Config: admin.providerBlock() + dataSourceBlock("v2", `title = "SQL Server Prod"`) +
							dataSourceBlock("v1", `title = "Postgres Ops"`, "depends_on = [data.alation_datasource.v2]"),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.alation_datasource.v2", at("id"), knownvalue.Int64Exact(testDS)),
							statecheck.ExpectKnownValue("data.alation_datasource.v1", at("id"), knownvalue.Int64Exact(3)),
						},
						Check: func(*terraform.State) error {
							// Each refusal is followed by one listing without
							// include_hidden, and the client remembers it (the
							// client's tests count that exactly): never more
							// refusals than listings without it.
							with, without := 0, 0
							for _, r := range c.fake.Requests() {
								switch {
								case r.RawQuery == "include_hidden=true":
									with++
								case strings.HasSuffix(r.Path, "/datasource/"):
									without++
								}
							}
							if refused := refusal != alationfake.HiddenIgnored; refused && (with == 0 || with > without) || !refused && without > 0 {
								return fmt.Errorf("%d listings asked include_hidden=true, %d v2 listings did not", with, without)
							}
							return nil
						},
					},
					{
						Config:      admin.providerBlock() + dataSourceBlock("x", `title = "Staging"`),
						ExpectError: errorMatching(append([]string{"Data Source Not Found", `titled "Staging"`}, hiddenWords...)...),
					},
					{
						Config: admin.providerBlock() + dataSourceBlock("x", "id = 9"),
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue("data.alation_datasource.x", at("title"), knownvalue.StringExact("Staging")),
							statecheck.ExpectKnownValue("data.alation_datasource.x", at("is_hidden"), knownvalue.Bool(true)),
						},
					},
				},
			})
		})
	}
}

// A Server Admin finds a hidden source by title, in one listing per API.
func TestAccDataSourceDatasource_serverAdminFindsHidden(t *testing.T) {
	c := newTestCatalog(t)
	c.fake.AddDataSource(alationfake.DataSource{ID: 9, Title: "Staging", Hidden: true})
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(nil),
		Steps: []resource.TestStep{{
			Config: c.providerBlock() + dataSourceBlock("x", `title = "Staging"`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.alation_datasource.x", at("id"), knownvalue.Int64Exact(9)),
			},
		}},
	})
}
