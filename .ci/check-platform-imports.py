#!/usr/bin/env python3
"""Checks 1 and 2 of .ci/check-platforms (see there): guarded platform imports in Sources/, and
no OpenSSL, libpng or FreeType in the library products' dependency graph on Apple platforms."""
import json
import pathlib
import re
import subprocess
import sys

PLATFORM_MODULES = {"Glibc", "Musl", "Darwin", "CryptoKit", "CLibCrypto", "WinSDK", "Android"}
APPLE = {"macos", "ios", "tvos", "watchos", "visionos"}
FORBIDDEN_ON_APPLE = {"CLibCrypto", "CPNG", "CFreeType"}
LIBRARIES = ["NNM", "NNMFormat"]


def unguarded_imports(path):
    """(line number, module) of each platform import not inside `#if canImport(module)`."""
    stack, problems = [], []
    for number, line in enumerate(path.read_text().splitlines(), 1):
        text = line.strip()
        if text.startswith("#if") or text.startswith("#elseif"):
            if text.startswith("#elseif") and stack:
                stack.pop()
            stack.append(set(re.findall(r"(?<!!)canImport\((\w+)\)", text)))
        elif text.startswith("#else"):
            if stack:
                stack[-1] = set()
        elif text.startswith("#endif"):
            if stack:
                stack.pop()
        else:
            match = re.match(r"(?:@\w+\s+)*import\s+(?:\w+\s+)?(\w+)", text)
            if match and match.group(1) in PLATFORM_MODULES and not (stack and match.group(1) in stack[-1]):
                problems.append((number, match.group(1)))
    return problems


def check_imports():
    failures = 0
    for path in sorted(pathlib.Path("Sources").rglob("*.swift")):
        for number, module in unguarded_imports(path):
            print(f"{path}:{number}: `import {module}` is not under `#if canImport({module})`")
            failures += 1
    return failures


def apple_closure(package, target_name):
    """Targets that `target_name` depends on, directly or not, when building for Apple platforms."""
    targets = {t["name"]: t for t in package["targets"]}
    seen, todo = set(), [target_name]
    while todo:
        name = todo.pop()
        if name in seen or name not in targets:
            continue
        seen.add(name)
        for dependency in targets[name]["dependencies"]:
            kind, value = next(iter(dependency.items()))
            name_of = value[0]
            condition = value[-1] if isinstance(value[-1], dict) else None
            platforms = set(condition["platformNames"]) if condition and "platformNames" in condition else None
            if platforms is not None and not (platforms & APPLE):
                continue
            todo.append(name_of)
    return seen


def check_graph():
    dump = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True,
                                     capture_output=True, text=True).stdout)
    failures = 0
    for product in dump["products"]:
        if product["name"] not in LIBRARIES:
            continue
        closure = set()
        for target in product["targets"]:
            closure |= apple_closure(dump, target)
        bad = closure & FORBIDDEN_ON_APPLE
        if bad:
            print(f"product {product['name']} needs {', '.join(sorted(bad))} on Apple platforms")
            failures += 1
        else:
            print(f"ok: product {product['name']} on Apple platforms: {', '.join(sorted(closure))}")
    return failures


if __name__ == "__main__":
    failures = check_imports() + check_graph()
    if failures == 0:
        print("ok: every platform import is guarded by canImport")
    sys.exit(1 if failures else 0)
