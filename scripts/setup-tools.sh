# Sourced by scripts/run and scripts/test: installs what the build needs on a
# fresh machine, skipping whatever is already there at the right version.
# Only package registries are reachable, so nothing here downloads binaries
# from elsewhere (see ../shared/TOOLCHAIN.md for why each step is as it is).
#   setup_build_tools   wasm target, wasm-bindgen-cli, cargo-leptos, wasm-opt
#   setup_test_tools    Debian's Chromium and the Playwright package

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen crate pinned in Cargo.toml
CARGO_LEPTOS_VERSION=0.3.11
BINARYEN_VERSION=132.0.0       # Debian's wasm-opt 108 corrupts the bundle
FEDORA_MESSAGING_VERSION=3.9.1
SQLX_CLI_VERSION=0.8.6          # must match the sqlx crate
export PATH="$HOME/.cargo/bin:$ROOT/.tools/node_modules/.bin:$PATH"
# One build directory for every checkout on this machine (CI clones main
# afresh each run): dependencies are built once, not once per clone.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/fedora-packages/target}
# Any build of the server (cargo-leptos, cargo test) must agree on the bundle's
# name, or a server built outside cargo-leptos asks for `*_bg.wasm`.
export LEPTOS_OUTPUT_NAME=fedora-packages

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

setup_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32 target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 5 minutes)"
    # Unlocked: its lockfile names a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    say "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes, once)"
    install_cargo_leptos
  fi
  if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say "installing wasm-opt (npm binaryen $BINARYEN_VERSION) into .tools/"
    mkdir -p "$ROOT/.tools"
    (cd "$ROOT/.tools" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION")
  fi
}

# `cargo install cargo-leptos` fails here (its newest dependencies need a newer
# rustc), so build the released source with one dependency held back.
install_cargo_leptos() {
  cargo info "cargo-leptos@$CARGO_LEPTOS_VERSION" >/dev/null
  local crate src
  crate=$(ls "$HOME"/.cargo/registry/cache/*/"cargo-leptos-$CARGO_LEPTOS_VERSION.crate" | head -n 1)
  src=$(mktemp -d)
  tar -xzf "$crate" -C "$src"
  (
    cd "$src/cargo-leptos-$CARGO_LEPTOS_VERSION"
    cargo update -p cargo-util-schemas --precise 0.14.1
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install --path . --locked --features no_downloads
  )
  rm -rf "$src"
}

# The release build every script uses: the server, and the wasm bundle of the
# pages' islands (the only code a browser downloads).
build_release() {
  cargo leptos build --release
}

# The edit loop's builds (scripts/dev, bench/run edit): linked with mold
# (Debian's, installed here when missing), debug info split from the
# binaries, in their own build directory (their flags differ from the test
# builds', which would otherwise keep rebuilding each other's dependencies).
dev_build_env() {
  if ! command -v mold >/dev/null; then
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get install -y mold >/dev/null 2>&1 || say "mold not installed: linking with the default linker"
  fi
  export CARGO_TARGET_DIR=${DEV_TARGET_DIR:-$HOME/.cache/fedora-packages/target-dev}
  if command -v mold >/dev/null; then
    export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=-fuse-ld=mold"
  fi
  export CARGO_PROFILE_DEV_SPLIT_DEBUGINFO=unpacked
  # No line tables in our crates either: less to generate and link on every
  # save (a panic still names its file and line).
  export CARGO_PROFILE_DEV_DEBUG=false
}

# sqlx-cli: `cargo sqlx prepare` writes and checks the offline query data in .sqlx/.
setup_sqlx_cli() {
  if ! cargo sqlx --version 2>/dev/null | grep -q "$SQLX_CLI_VERSION"; then
    say "installing sqlx-cli $SQLX_CLI_VERSION (about 7 minutes, once)"
    cargo install sqlx-cli --version "$SQLX_CLI_VERSION" --no-default-features --features postgres,rustls --locked
  fi
}

setup_test_tools() {
  if ! "$ROOT/.tools/venv/bin/fedora-messaging" --help >/dev/null 2>&1; then
    say "installing the fedora-messaging Python client (bus tests publish with it)"
    python3 -m venv "$ROOT/.tools/venv"
    "$ROOT/.tools/venv/bin/pip" install --quiet "fedora-messaging==$FEDORA_MESSAGING_VERSION"
  fi
  export FEDORA_MESSAGING_CLI="$ROOT/.tools/venv/bin/fedora-messaging"
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  # The scale-out test puts nginx in front of two web processes.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing Debian's ${missing[*]}"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get install -y "${missing[@]}" || { $sudo apt-get update && $sudo apt-get install -y "${missing[@]}"; }
  fi
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    say "installing Playwright (no browser download: it drives Debian's Chromium)"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  fi
}

# Fails early, and plainly, when no RabbitMQ answers (the bus tests need it).
require_rabbitmq() {
  if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    echo "No RabbitMQ answers at 127.0.0.1:5672; start it with: rabbitmq-server -detached" >&2
    exit 1
  fi
}

# Fails early, and plainly, when no PostgreSQL answers.
require_postgres() {
  local url=$1
  if command -v pg_isready >/dev/null && ! pg_isready -q -d "$url"; then
    echo "No PostgreSQL answers at ${url}." >&2
    echo "Start one (Debian: pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)," >&2
    echo "or set DATABASE_URL to a running server." >&2
    exit 1
  fi
}

# Drops and recreates a test database, so no migration applied by another
# checkout (a branch's, an older try's) is left in it to fail `migrate`.
fresh_database() {
  local url=$1 name=${1##*/}
  name=${name%%\?*}
  psql -q -v ON_ERROR_STOP=1 "${url%/*}/postgres" \
    -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" \
    -c "CREATE DATABASE \"$name\""
}

# The server binary built by `build_release`.
server_binary() {
  echo "${CARGO_TARGET_DIR:-$ROOT/target}/release/fedora-packages"
}
