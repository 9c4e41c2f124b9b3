package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/crm/demo"
)

func demoCmd(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var opt demo.Options
	cfg, err := parse(ctx, "demo", "demo [--contacts N] [--interactions N] [--seed S]", args, stderr, func(fs *flag.FlagSet, _ *Config) {
		fs.IntVar(&opt.Contacts, "contacts", 1000, tr(ctx, "number of contacts"))
		fs.IntVar(&opt.Interactions, "interactions", 0, tr(ctx, "number of interactions (default 10 per contact)"))
		fs.Int64Var(&opt.Seed, "seed", 1, tr(ctx, "random seed; the same seed gives the same data"))
	})
	if err != nil {
		return err
	}
	d, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return err
	}
	start := time.Now()
	last := time.Now()
	opt.Progress = func(done, total int) {
		if time.Since(last) > 2*time.Second || done == total {
			fmt.Fprintf(stderr, "  %s/%s\n", num(ctx, done), num(ctx, total))
			last = time.Now()
		}
	}
	st, err := demo.Load(ctx, d.Client, opt)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tr(ctx, "Loaded {{.Contacts}} contacts, {{.Outlets}} outlets, {{.Channels}} channels, {{.Interactions}} interactions and {{.Users}} users in {{.Took}}.",
		"Contacts", num(ctx, st.Contacts), "Outlets", num(ctx, st.Outlets), "Channels", num(ctx, st.Channels),
		"Interactions", num(ctx, st.Interactions), "Users", num(ctx, st.Users), "Took", took(ctx, time.Since(start))))
	fmt.Fprintln(stdout, tr(ctx, "Demo users sign in with the password {{.Password}} (admin@rapport.test is the admin).", "Password", demo.Password))
	return nil
}
