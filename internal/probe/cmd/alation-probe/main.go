// Command alation-probe asks an Alation instance the questions its public
// documentation leaves open and prints the answers as a Markdown table (see
// package probe). It reads the provider's ALATION_* variables; with
// ALATION_PROBE_TABLE=DATASOURCE_ID/SCHEMA/TABLE it also syncs that one
// table, and otherwise changes nothing.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"

	"github.com/alation-community/terraform-provider-alation/internal/alation"
	"github.com/alation-community/terraform-provider-alation/internal/probe"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg, err := configFromEnv(os.Getenv)
	if err == nil {
		var rows []probe.Row
		if rows, err = probe.Run(ctx, cfg); err == nil {
			fmt.Print(probe.Markdown(rows))
			return
		}
	}
	fmt.Fprintln(os.Stderr, "alation-probe:", err)
	os.Exit(1)
}

// configFromEnv reads the variables the provider reads.
func configFromEnv(getenv func(string) string) (probe.Config, error) {
	env := func(name string) string { return strings.TrimSpace(getenv(name)) }
	cfg := probe.Config{Timeout: 60 * time.Second, Client: alation.Config{
		BaseURL:   env("ALATION_BASE_URL"),
		UserAgent: "terraform-provider-alation-probe",
		Credentials: alation.Credentials{
			AccessToken:  env("ALATION_API_ACCESS_TOKEN"),
			RefreshToken: env("ALATION_REFRESH_TOKEN"),
			ClientID:     env("ALATION_CLIENT_ID"),
			ClientSecret: env("ALATION_CLIENT_SECRET"),
		},
	}}
	if cfg.Client.BaseURL == "" {
		return cfg, errors.New("set ALATION_BASE_URL and one way to authenticate (ALATION_API_ACCESS_TOKEN; ALATION_REFRESH_TOKEN with ALATION_USER_ID; ALATION_CLIENT_ID with ALATION_CLIENT_SECRET)")
	}
	if raw := env("ALATION_USER_ID"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			return cfg, fmt.Errorf("ALATION_USER_ID is %q; it must be a whole number", raw)
		}
		cfg.Client.Credentials.UserID = id
	}
	for name, dst := range map[string]*bool{"ALATION_ALLOW_INSECURE_HTTP": &cfg.Client.AllowInsecureHTTP, "ALATION_INSECURE_SKIP_VERIFY": &cfg.Client.InsecureSkipVerify} {
		if raw := env(name); raw != "" {
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return cfg, fmt.Errorf("%s is %q; it must be true or false", name, raw)
			}
			*dst = b
		}
	}
	if file := env("ALATION_CA_CERT_FILE"); file != "" {
		pem, err := os.ReadFile(file)
		if err != nil {
			return cfg, fmt.Errorf("ALATION_CA_CERT_FILE: %w", err)
		}
		cfg.Client.CACertPEM = pem
	}
	if raw := env("ALATION_PROBE_TABLE"); raw != "" {
		parts := strings.SplitN(raw, "/", 3)
		ds, err := strconv.ParseInt(parts[0], 10, 64)
		if len(parts) != 3 || err != nil || ds < 1 || parts[1] == "" || parts[2] == "" {
			return cfg, fmt.Errorf("ALATION_PROBE_TABLE is %q; write DATASOURCE_ID/SCHEMA/TABLE, such as 8/main.dbo/foobar", raw)
		}
		cfg.Table = &alation.SyncTableInput{DatasourceID: ds, Schema: parts[1], Table: parts[2], TableType: env("ALATION_PROBE_TABLE_TYPE")}
	}
	return cfg, nil
}
