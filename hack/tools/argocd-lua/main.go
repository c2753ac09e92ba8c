// Command argocd-lua runs an Argo CD health script the way Argo CD runs a health customization
// from argocd-cm: in gopher-lua, the VM Argo CD embeds, with only the libraries Argo CD opens
// for such scripts (base, package, table and an os library reduced to time and date; no string,
// math, io, debug, coroutine or channel), the object in the global `obj`, and a one-second limit.
//
//	argocd-lua SCRIPT < object.json
//
// It prints the health the script returns as JSON, {"status": ..., "message": ...}, with a
// status Argo CD does not know replaced by Unknown, as Argo CD does. A script that fails to load
// or run exits with status 1 and the error on standard error.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	lua "github.com/yuin/gopher-lua"
	luajson "layeh.com/gopher-json"
)

// health is what Argo CD reads from the table the script returns.
type health struct {
	Status  string `json:"status,omitempty"`
	Message string `json:"message,omitempty"`
}

// Argo CD's health status codes; anything else becomes Unknown.
var knownStatuses = map[string]bool{
	"Unknown": true, "Progressing": true, "Suspended": true, "Healthy": true, "Degraded": true,
	"Missing": true,
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: argocd-lua SCRIPT < object.json")
		os.Exit(2)
	}
	script, err := os.ReadFile(os.Args[1])
	if err != nil {
		fail(err)
	}
	var obj map[string]any
	dec := json.NewDecoder(os.Stdin)
	// Argo CD hands the script an unstructured object: integers and floats both become Lua
	// numbers, so plain float64 decoding gives the script the same values.
	if err := dec.Decode(&obj); err != nil {
		fail(fmt.Errorf("reading the object from standard input: %w", err))
	}
	hs, err := run(string(script), obj)
	if err != nil {
		fail(err)
	}
	out, _ := json.Marshal(hs)
	fmt.Println(string(out))
}

func run(script string, obj map[string]any) (*health, error) {
	// SkipOpenLibs: a health customization in argocd-cm runs without the standard libraries
	// unless it sets useOpenLibs; Argo CD then opens the few below itself.
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{
		{lua.LoadLibName, lua.OpenPackage},
		{lua.BaseLibName, lua.OpenBase},
		{lua.TabLibName, lua.OpenTable},
		{lua.OsLibName, openTimeOnlyOs},
	} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true},
			lua.LString(lib.name)); err != nil {
			return nil, err
		}
	}
	// require("os") gives the same reduced library.
	l.PreloadModule(lua.OsLibName, func(l *lua.LState) int {
		l.Push(l.GetGlobal(lua.OsLibName))
		return 1
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return nil, err
	}
	ret := l.Get(-1)
	switch ret.Type() {
	case lua.LTNil:
		return &health{}, nil
	case lua.LTTable:
	default:
		return nil, fmt.Errorf("expect table output from Lua script, not %s", ret.Type())
	}
	encoded, err := luajson.Encode(ret)
	if err != nil {
		return nil, err
	}
	hs := &health{}
	if err := json.Unmarshal(encoded, hs); err != nil {
		// An empty table encodes as [], which Argo CD takes as an empty health.
		if string(encoded) == "[]" {
			return hs, nil
		}
		return nil, err
	}
	if !knownStatuses[hs.Status] {
		return &health{Status: "Unknown", Message: "Lua returned an invalid health status"}, nil
	}
	return hs, nil
}

// openTimeOnlyOs opens gopher-lua's os library and keeps only os.time and os.date, the two
// functions Argo CD exposes (it has no os.exit, os.getenv, os.remove ...).
func openTimeOnlyOs(l *lua.LState) int {
	lua.OpenOs(l)
	full := l.GetGlobal(lua.OsLibName).(*lua.LTable)
	reduced := l.NewTable()
	reduced.RawSetString("time", full.RawGetString("time"))
	reduced.RawSetString("date", full.RawGetString("date"))
	l.SetGlobal(lua.OsLibName, reduced)
	if loaded, ok := l.GetField(l.Get(lua.RegistryIndex), "_LOADED").(*lua.LTable); ok {
		loaded.RawSetString(lua.OsLibName, reduced)
	}
	l.Push(reduced)
	return 1
}

// toLua converts a decoded JSON value as Argo CD converts an unstructured object: objects and
// arrays to tables, numbers to numbers, and JSON null to nil (so the key is absent).
func toLua(l *lua.LState, value any) lua.LValue {
	switch v := value.(type) {
	case bool:
		return lua.LBool(v)
	case float64:
		return lua.LNumber(v)
	case string:
		return lua.LString(v)
	case []any:
		t := l.CreateTable(len(v), 0)
		for _, item := range v {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(v))
		for key, item := range v {
			t.RawSetH(lua.LString(key), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "argocd-lua:", err)
	os.Exit(1)
}
