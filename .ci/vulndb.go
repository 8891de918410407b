// Command vulndb lays out a Go vulnerability database, as `govulncheck -db
// file:///DIR` reads it, from the OSV files of the golang.org/x/vulndb
// module: CI cannot reach vuln.go.dev, but it can download that module.
//
//	go run .ci/vulndb.go -osv "$(go mod download -json golang.org/x/vulndb@V | …Dir)/data/osv" -out DIR
//
// It writes the v1 layout (go.dev/security/vuln/database#api):
// index/db.json, index/modules.json, index/vulns.json and ID/<id>.json.
// x/vulndb's own cmd/indexdb does the same, but it builds against the
// Google Cloud libraries the rest of that module uses: some hundred modules
// to download on a fresh machine, against this file's standard library.
//
// The optional "fixed" of index/modules.json is left out: it only lets
// govulncheck skip reading an entry whose fix a module already has, and
// working it out needs semantic-version ordering. Without it govulncheck
// reads the entry and checks the version ranges itself.
package main

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// entry is what the indexes need of an OSV record.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases"`
	Affected []struct {
		Package struct {
			Name string `json:"name"` // a module path, or "stdlib" and "toolchain"
		} `json:"package"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
}

type module struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

func main() {
	osvDir := flag.String("osv", "", "the folder of OSV files (data/osv of golang.org/x/vulndb)")
	out := flag.String("out", "", "the folder to write the database to")
	flag.Parse()
	if *osvDir == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := build(*osvDir, *out); err != nil {
		log.Fatal(err)
	}
}

func build(osvDir, out string) error {
	files, err := filepath.Glob(filepath.Join(osvDir, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no OSV files in %s", osvDir)
	}
	for _, dir := range []string{"index", "ID"} {
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return err
		}
	}
	var db struct {
		Modified time.Time `json:"modified"`
	}
	modules := map[string]*module{}
	var vulns []vuln
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return fmt.Errorf("%s: %w", file, err)
		}
		if e.ID == "" || filepath.Base(file) != e.ID+".json" {
			return fmt.Errorf("%s: the file is not named after its id %q", file, e.ID)
		}
		if e.Modified.After(db.Modified) {
			db.Modified = e.Modified
		}
		vulns = append(vulns, vuln{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			m := modules[a.Package.Name]
			if m == nil {
				m = &module{Path: a.Package.Name, Vulns: []moduleVuln{}}
				modules[m.Path] = m
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified})
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), raw, 0o644); err != nil {
			return err
		}
	}
	// Sorted as the published indexes are (Glob already sorts the files).
	byPath := slices.SortedFunc(maps.Values(modules), func(a, b *module) int { return cmp.Compare(a.Path, b.Path) })
	for name, v := range map[string]any{"db": db, "modules": byPath, "vulns": vulns} {
		raw, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name+".json"), raw, 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("vulnerability database: %d entries, %d modules\n", len(vulns), len(modules))
	return nil
}
