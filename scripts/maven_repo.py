#!/usr/bin/env python3
"""A Maven-layout repository folder, written and read without Maven or Gradle.

  maven_repo.py publish --repo DIR --group G --artifact A --version V \\
        --jar FILE [--sources FILE] --pom FILE
      Copies the files to DIR/<group as path>/A/V/A-V.{jar,pom}, -sources.jar,
      writes .md5 .sha1 .sha256 .sha512 beside each, and updates
      DIR/<group>/A/maven-metadata.xml (+ checksums), as `mvn deploy` to a
      file:// repository does. Publishing the same version again replaces it.

  maven_repo.py mirror --repo DIR --group G --artifact A --version V --jar FILE
      Puts a third-party jar that a machine has locally (e.g. Debian's JNA) under
      its coordinates with a minimal POM: a stand-in for a remote repository that
      cannot be reached here.

  maven_repo.py classpath --repo DIR [--repo DIR ...] [-Dname=value ...] POM
      Resolves the compile+runtime dependencies of POM (a consumer's pom.xml)
      transitively from the repositories, by group/artifact/version only, checks
      every file against its .sha1 (and .sha256 when present), and prints the
      classpath (jar paths joined by ':'). No source paths are involved: a jar
      that is not in a repository with matching checksums is an error.
"""
import argparse
import datetime
import hashlib
import os
import shutil
import sys
import xml.etree.ElementTree as ET

NS = "http://maven.apache.org/POM/4.0.0"
DIGESTS = {"md5": hashlib.md5, "sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def die(msg):
    print(f"maven_repo: error: {msg}", file=sys.stderr)
    sys.exit(2)


def artifact_dir(repo, group, artifact, version=None):
    parts = [repo, *group.split("."), artifact]
    if version:
        parts.append(version)
    return os.path.join(*parts)


def write_checksums(path):
    data = open(path, "rb").read()
    for ext, fn in DIGESTS.items():
        with open(f"{path}.{ext}", "w") as f:
            f.write(fn(data).hexdigest())


def verify(path):
    """The file exists and matches its .sha1 (required) and .sha256 (if present)."""
    if not os.path.isfile(path):
        return f"{path} not found"
    data = open(path, "rb").read()
    for ext, required in (("sha1", True), ("sha256", False)):
        sidecar = f"{path}.{ext}"
        if not os.path.isfile(sidecar):
            if required:
                return f"{sidecar} missing"
            continue
        want = open(sidecar).read().split()[0].strip().lower()
        got = DIGESTS[ext](data).hexdigest()
        if want != got:
            return f"{path}: {ext} {got} does not match {sidecar} ({want})"
    return None


def update_metadata(repo, group, artifact, version):
    adir = artifact_dir(repo, group, artifact)
    versions = sorted(
        (d for d in os.listdir(adir) if os.path.isfile(os.path.join(adir, d, f"{artifact}-{d}.pom"))),
        key=lambda v: [int(p) if p.isdigit() else p for p in v.replace("-", ".").split(".")],
    )
    releases = [v for v in versions if not v.endswith("-SNAPSHOT")]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<metadata>",
        f"  <groupId>{group}</groupId>",
        f"  <artifactId>{artifact}</artifactId>",
        "  <versioning>",
        f"    <latest>{versions[-1]}</latest>",
    ]
    if releases:
        lines.append(f"    <release>{releases[-1]}</release>")
    lines.append("    <versions>")
    lines += [f"      <version>{v}</version>" for v in versions]
    lines += ["    </versions>", f"    <lastUpdated>{stamp}</lastUpdated>", "  </versioning>", "</metadata>", ""]
    path = os.path.join(adir, "maven-metadata.xml")
    with open(path, "w") as f:
        f.write("\n".join(lines))
    write_checksums(path)


def publish(args):
    vdir = artifact_dir(args.repo, args.group, args.artifact, args.version)
    os.makedirs(vdir, exist_ok=True)
    base = os.path.join(vdir, f"{args.artifact}-{args.version}")
    files = [(args.pom, base + ".pom"), (args.jar, base + ".jar")]
    if args.sources:
        files.append((args.sources, base + "-sources.jar"))
    for src, dst in files:
        tmp = dst + ".part"
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        write_checksums(dst)
    update_metadata(args.repo, args.group, args.artifact, args.version)
    print(base + ".jar")


def mirror(args):
    vdir = artifact_dir(args.repo, args.group, args.artifact, args.version)
    base = os.path.join(vdir, f"{args.artifact}-{args.version}")
    if verify(base + ".jar") is None and verify(base + ".pom") is None:
        return
    os.makedirs(vdir, exist_ok=True)
    pom = f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="{NS}">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{args.group}</groupId>
  <artifactId>{args.artifact}</artifactId>
  <version>{args.version}</version>
  <packaging>jar</packaging>
  <description>Local stand-in: {os.path.realpath(args.jar)} from this machine, under the coordinates of the upstream artifact.</description>
</project>
"""
    with open(base + ".pom", "w") as f:
        f.write(pom)
    write_checksums(base + ".pom")
    shutil.copyfile(args.jar, base + ".jar")
    write_checksums(base + ".jar")
    update_metadata(args.repo, args.group, args.artifact, args.version)


def text(el, tag, props):
    child = el.find(f"{{{NS}}}{tag}")
    if child is None or child.text is None:
        return None
    value = child.text.strip()
    for _ in range(5):  # ${name} from properties (and -D), nested at most 5 deep
        if "${" not in value:
            break
        start = value.index("${")
        end = value.index("}", start)
        name = value[start + 2 : end]
        if name not in props:
            die(f"property ${{{name}}} is not defined")
        value = value[:start] + props[name] + value[end + 1 :]
    return value


def read_pom(path, overrides):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        die(f"cannot read POM {path}: {e}")
    props = {}
    p = root.find(f"{{{NS}}}properties")
    if p is not None:
        for child in p:
            props[child.tag.split("}", 1)[1]] = (child.text or "").strip()
    props.update(overrides)
    for key in ("groupId", "artifactId", "version"):
        v = text(root, key, props)
        if v:
            props[f"project.{key}"] = v
    deps = []
    d = root.find(f"{{{NS}}}dependencies")
    for dep in [] if d is None else d.findall(f"{{{NS}}}dependency"):
        scope = text(dep, "scope", props) or "compile"
        if scope not in ("compile", "runtime") or (text(dep, "optional", props) == "true"):
            continue
        g, a, v = text(dep, "groupId", props), text(dep, "artifactId", props), text(dep, "version", props)
        if not (g and a and v):
            die(f"{path}: a dependency without groupId/artifactId/version")
        deps.append((g, a, v))
    return deps


def classpath(args):
    overrides = {}
    for d in args.define or []:
        name, _, value = d.partition("=")
        overrides[name] = value
    seen, order, queue = {}, [], list(read_pom(args.pom, overrides))
    while queue:
        g, a, v = queue.pop(0)
        if (g, a) in seen:
            if seen[(g, a)] != v:
                print(f"maven_repo: {g}:{a}: {seen[(g, a)]} kept, {v} also requested (nearest wins)", file=sys.stderr)
            continue
        seen[(g, a)] = v
        for repo in args.repo:
            base = os.path.join(artifact_dir(repo, g, a, v), f"{a}-{v}")
            if os.path.isfile(base + ".pom"):
                break
        else:
            die(f"{g}:{a}:{v} is in none of the repositories {args.repo}")
        for f in (base + ".pom", base + ".jar"):
            problem = verify(f)
            if problem:
                die(problem)
        order.append(os.path.realpath(base + ".jar"))
        queue.extend(read_pom(base + ".pom", {}))
    print(":".join(order))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("publish")
    m = sub.add_parser("mirror")
    for q in (p, m):
        q.add_argument("--repo", required=True)
        q.add_argument("--group", required=True)
        q.add_argument("--artifact", required=True)
        q.add_argument("--version", required=True)
        q.add_argument("--jar", required=True)
    p.add_argument("--sources")
    p.add_argument("--pom", required=True)
    c = sub.add_parser("classpath")
    c.add_argument("--repo", action="append", required=True)
    c.add_argument("-D", dest="define", action="append")
    c.add_argument("pom")
    args = ap.parse_args()
    {"publish": publish, "mirror": mirror, "classpath": classpath}[args.cmd](args)


if __name__ == "__main__":
    main()
