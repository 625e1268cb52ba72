package provider

// Placeholder: the list resource is being written.

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

type placeholderList struct{}

func NewTableSyncListResource() list.ListResource { return placeholderList{} }

func (placeholderList) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_table_sync"
}
func (placeholderList) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{}
}
func (placeholderList) List(context.Context, list.ListRequest, *list.ListResultsStream) {}
