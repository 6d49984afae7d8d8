# Sourced by the scripts: the tools installed by setup.sh come first on PATH
# (npm's binaryen wasm-opt before any Debian one).
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
