#!/usr/bin/env python3
# flatpak/io.github.printwatch.Printwatch.json, checked against the tree it builds: valid JSON;
# its id is the one of the desktop file, the metainfo, the GSettings schema and the icons; its
# command is a binary meson installs; every downloaded source is pinned by a sha256 over https;
# the sandbox asks for nothing beyond the allow-list (DESIGN.md: files, secrets, notifications
# and background go through portals). TAP output.
# Usage: test-flatpak-manifest.py SOURCE_ROOT BUILD_ROOT
#
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

MANIFEST = os.path.join("flatpak", "io.github.printwatch.Printwatch.json")
FINISH_ARGS_ALLOWED = {
    "--share=network",       # SNMP (UDP 161), HTTPS upload, SMTP
    "--share=ipc",           # X11 shared memory
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",          # GTK's GL renderer
}
# What src/core/pw-snmp-engine-session.c needs of net-snmp: AES-192/256 exist only with the
# Blumenthal draft enabled; no agent and no Perl in the sandbox; USM crypto from OpenSSL.
NET_SNMP_OPTS = {"--disable-agent", "--disable-embedded-perl", "--without-perl-modules",
                 "--with-openssl", "--enable-blumenthal-aes"}
SHA256 = re.compile(r"^[0-9a-f]{64}$")
GIT_COMMIT = re.compile(r"^[0-9a-f]{40}$")

root, build = sys.argv[1], sys.argv[2]
results = []


def check(ok, what, detail=""):
    results.append((bool(ok), what, detail))


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def build_options():
    with open(os.path.join(build, "meson-info", "intro-buildoptions.json"), encoding="utf-8") as f:
        return {o["name"]: o["value"] for o in json.load(f)}


def installed():
    with open(os.path.join(build, "meson-info", "intro-installed.json"), encoding="utf-8") as f:
        return set(json.load(f).values())


try:
    manifest = json.loads(read(os.path.join(root, MANIFEST)))
    check(isinstance(manifest, dict), "the manifest is a JSON object")
except (OSError, ValueError) as e:
    print("1..1\nnot ok 1 the manifest is valid JSON # %s" % e)
    sys.exit(0)

options = build_options()
app_id = manifest.get("id", "")
build_id = app_id + ".Devel" if options.get("devel") else app_id
prefix = options["prefix"]
datadir = os.path.join(prefix, options["datadir"])
files = installed()

# --- one id everywhere ---------------------------------------------------------------------
check(re.match(r"^[a-z][a-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*){2,}$", app_id),
      "the manifest has an id in reverse-DNS form", app_id)
check("app-id" not in manifest, "the manifest says id, not the old app-id")

desktop_in = os.path.join(root, "data", app_id + ".desktop.in.in")
check(os.path.isfile(desktop_in), "the desktop file template is named after the id", desktop_in)
desktop = read(desktop_in) if os.path.isfile(desktop_in) else ""
check(re.search(r"^Icon=@app_id@$", desktop, re.M), "the desktop file's icon is the app id")

metainfo_in = os.path.join(root, "data", app_id + ".metainfo.xml.in.in")
check(os.path.isfile(metainfo_in), "the metainfo template is named after the id", metainfo_in)
schema_in = os.path.join(root, "data", app_id + ".gschema.xml.in")
check(os.path.isfile(schema_in), "the GSettings schema template is named after the id", schema_in)

if options.get("gui"):
    built = os.path.join(build, "data", build_id + ".metainfo.xml")
    component = ET.parse(built).getroot()
    check(component.findtext("id") == build_id, "the metainfo's <id> is the app id",
          component.findtext("id"))
    launchable = component.find("launchable[@type='desktop-id']")
    check(launchable is not None and launchable.text == build_id + ".desktop",
          "the metainfo launches the desktop file of the id")
    built_desktop = read(os.path.join(build, "data", build_id + ".desktop"))
    check(re.search(r"^Icon=%s$" % re.escape(build_id), built_desktop, re.M),
          "the built desktop file's Icon= is the app id")
    for sub, suffix in (("scalable", ".svg"), ("symbolic", "-symbolic.svg")):
        source = os.path.join(root, "data", "icons", "hicolor", sub, "apps", app_id + suffix)
        svg = ET.parse(source).getroot()
        text = read(source)
        check(svg.tag == "{http://www.w3.org/2000/svg}svg"
              and not re.search(r"(xlink:)?href=\"(?!#)", text),
              "the %s icon is an SVG without external references" % sub)
        check(os.path.join(datadir, "icons", "hicolor", sub, "apps", build_id + suffix) in files,
              "the %s icon is installed under the app id" % sub)
else:
    check(True, "the metainfo's <id> is the app id # SKIP -Dgui=false")

schema = ET.parse(os.path.join(build, "data", build_id + ".gschema.xml")).getroot().find("schema")
check(schema.get("id") == build_id, "the GSettings schema id is the app id", schema.get("id"))
check(schema.get("path") == "/" + build_id.replace(".", "/") + "/",
      "the GSettings schema path follows the app id", schema.get("path"))

# --- runtime, command, modules -------------------------------------------------------------
check(manifest.get("runtime") == "org.gnome.Platform" and manifest.get("sdk") == "org.gnome.Sdk",
      "the runtime is GNOME's")
check(re.match(r"^[0-9]+$", str(manifest.get("runtime-version", ""))),
      "the runtime version is a stable branch, not master", manifest.get("runtime-version"))
command = manifest.get("command", "")
bindir = os.path.join(prefix, options["bindir"])
if options.get("gui"):
    check(command and os.path.join(bindir, command) in files,
          "the command is a binary meson installs", command)
else:
    check(True, "the command is a binary meson installs # SKIP -Dgui=false builds no app")
check(os.path.join(bindir, "printwatch-cli") in files, "the CLI is built and installed too")

modules = manifest.get("modules", [])
names = [m.get("name") for m in modules if isinstance(m, dict)]
check(len(names) == len(set(names)) and len(names) == len(modules),
      "every module is an object with a unique name", names)
app = modules[-1] if modules else {}
check(app.get("name") == "printwatch" and app.get("buildsystem") == "meson",
      "Printwatch is the last module, built with meson")
check("-Dtests=false" in app.get("config-opts", []), "the app module does not build the tests")
check(not any(o.startswith("-Dgui=") for o in app.get("config-opts", [])),
      "the app module builds the GUI")
snmp = next((m for m in modules if m.get("name") == "net-snmp"), {})
missing = NET_SNMP_OPTS - set(snmp.get("config-opts", []))
check(not missing, "net-snmp is configured as the core needs it", sorted(missing))

# --- sources -------------------------------------------------------------------------------
for module in modules:
    for n, source in enumerate(module.get("sources", [])):
        where = "%s source %d" % (module.get("name"), n + 1)
        kind = source.get("type")
        if kind in ("archive", "file"):
            check(SHA256.match(source.get("sha256", "")), where + " has a sha256",
                  source.get("sha256"))
            check(str(source.get("url", "")).startswith("https://"), where + " is fetched over https",
                  source.get("url"))
        elif kind == "git":
            check(GIT_COMMIT.match(source.get("commit", "")), where + " is pinned to a commit")
            check(str(source.get("url", "")).startswith("https://"), where + " is fetched over https")
        elif kind in ("dir", "patch"):
            path = source.get("path", "")
            check(path and not os.path.isabs(path), where + " is a path inside the repository", path)
        else:
            check(False, where + " has a known type", kind)

# --- permissions ---------------------------------------------------------------------------
finish_args = manifest.get("finish-args", [])
extra = [a for a in finish_args if a not in FINISH_ARGS_ALLOWED]
check(not extra, "no finish-arg outside the allow-list", extra)
check({"--share=network", "--socket=wayland"} <= set(finish_args),
      "the sandbox has the network and a display")

print("1..%d" % len(results))
for n, (ok, what, detail) in enumerate(results, 1):
    line = "%s %d %s" % ("ok" if ok else "not ok", n, what)
    if not ok and detail not in ("", None):
        line += " # %s" % (detail,)
    print(line)
