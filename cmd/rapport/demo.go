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
	cfg, err := parse("demo", "demo [--contacts N] [--interactions N] [--seed S]", args, stderr, func(fs *flag.FlagSet, _ *Config) {
		fs.IntVar(&opt.Contacts, "contacts", 1000, "number of contacts")
		fs.IntVar(&opt.Interactions, "interactions", 0, "number of interactions (default 10 per contact)")
		fs.Int64Var(&opt.Seed, "seed", 1, "random seed; the same seed gives the same data")
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
			fmt.Fprintf(stderr, "  %d/%d\n", done, total)
			last = time.Now()
		}
	}
	st, err := demo.Load(ctx, d.Client, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Loaded %d contacts, %d outlets, %d channels, %d interactions and %d users in %s.\n",
		st.Contacts, st.Outlets, st.Channels, st.Interactions, st.Users, time.Since(start).Round(time.Millisecond))
	fmt.Fprintf(stdout, "Demo users sign in with the password %s (admin@rapport.test is the admin).\n", demo.Password)
	return nil
}
