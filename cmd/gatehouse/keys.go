package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/gatehouse-dev/gatehouse/internal/app"
	"github.com/gatehouse-dev/gatehouse/internal/tokens"
)

const keysUsage = `usage: gatehouse keys rotate [--data DIR | --db URL] (--pool ID | --all)

Gives user pools new ID and access token signing keys in the store of a Gatehouse, which may be
running: servers sign with the new keys within a minute and publish
them in their JWKS within a second. The previous public keys stay in the JWKS, and tokens they
signed keep verifying, for 25 hours. The master key comes from GATEHOUSE_MASTER_KEY or
<data>/master.key, as for serve.
`

// keys runs `gatehouse keys <sub-command>`.
func (m *Main) keys(args []string) error {
	if len(args) == 0 || args[0] != "rotate" {
		fmt.Fprint(m.Stderr, keysUsage)
		if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			return flag.ErrHelp
		}
		return fmt.Errorf("unknown keys command %q", args[0])
	}
	var pool string
	var all bool
	cfg, err := app.ParseStoreFlags("gatehouse keys rotate", args[1:], m.Getenv, func(fs *flag.FlagSet) {
		fs.SetOutput(m.Stderr)
		fs.Usage = func() { fmt.Fprint(m.Stderr, keysUsage, "\nFlags:\n"); fs.PrintDefaults() }
		fs.StringVar(&pool, "pool", "", "id of the user pool whose keys to rotate")
		fs.BoolVar(&all, "all", false, "rotate the keys of every user pool")
	})
	if err != nil {
		return err
	}
	if (pool == "") == !all {
		return errors.New("keys rotate: give either --pool <poolId> or --all")
	}
	cfg.Now = m.Now
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	core, err := app.OpenCore(ctx, cfg)
	if err != nil {
		return fmt.Errorf("keys rotate: %w", err)
	}
	defer core.Close()
	pools := []string{pool}
	if all {
		if pools, err = core.PoolIDs(ctx); err != nil {
			return fmt.Errorf("keys rotate: list user pools: %w", err)
		}
		if len(pools) == 0 {
			fmt.Fprintln(m.Stdout, "no user pools: nothing rotated")
			return nil
		}
	}
	for _, p := range pools {
		r, err := core.RotateKeys(ctx, p)
		if errors.Is(err, app.ErrNoSuchPool) {
			if all { // deleted since it was listed
				continue
			}
			return fmt.Errorf("keys rotate: user pool %s does not exist in this store (check --pool, --data and --db)", p)
		}
		if err != nil {
			return fmt.Errorf("keys rotate: %w", err)
		}
		printRotation(m, r)
	}
	return nil
}

// printRotation reports one rotation on stdout, one line per pool.
func printRotation(m *Main, r *tokens.Rotation) {
	fmt.Fprintf(m.Stdout, "rotated %s: id kid %s, access kid %s", r.Pool, r.IDKid, r.AccessKid)
	if len(r.Retired) > 0 {
		fmt.Fprintf(m.Stdout, "; previous kids %s stay in the JWKS until %s", strings.Join(r.Retired, ", "),
			r.VerifyUntil.UTC().Format(time.RFC3339))
	}
	fmt.Fprintln(m.Stdout)
}
