#!/usr/bin/env bash
# The layering check of `make test` (docs/design.md, Layout): the folders of src/ point one
# way, lowest first, and a file includes only its own layer and those below it:
#
#   util → model → store → auth → config → http → api → programs
#
# src/tagwatch.hpp, the library's public header, belongs to api. The programs (src/main.cpp,
# src/admin/, examples/) are peers: each may include the whole library, none another
# program. A folder of src/ that is in no layer is an error too, so a new one gets a place.
#
# Usage: tools/check-layers.sh      prints every wrong include as file:line, then a count
#                                   of files "N passed, N failed"; exits 1 on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

layers=(util model store auth config http api)
rank() { # layer name -> its rank, or nothing
  local i
  for i in "${!layers[@]}"; do [ "${layers[i]}" = "$1" ] && { echo "$i"; return; }; done
  case $1 in main | admin | examples) echo "${#layers[@]}" ;; esac
}
# The layer of a file (src/x/..., src/main.cpp, src/tagwatch.hpp, examples/...).
layer_of_file() {
  case $1 in
    src/tagwatch.hpp) echo api ;;
    src/main.cpp) echo main ;;
    examples/*) echo examples ;;
    src/*/*) local rest=${1#src/}; echo "${rest%%/*}" ;;
    *) echo "?" ;;
  esac
}
# The layer an include names: "x/file.hpp" is x's; a bare name is the including file's own.
layer_of_include() { # include, including file's layer
  case $1 in
    tagwatch.hpp) echo api ;;
    */*) echo "${1%%/*}" ;;
    *) echo "$2" ;;
  esac
}

chain=$(IFS=' '; echo "${layers[*]} programs" | sed 's/ / → /g')
passed=0 failed=0
while IFS= read -r file; do
  own=$(layer_of_file "$file")
  own_rank=$(rank "$own")
  bad=0
  if [ -z "$own_rank" ]; then
    echo "$file: the folder '$own' is in no layer ($chain): give it one in tools/check-layers.sh"
    bad=1
  else
    while IFS=: read -r line include; do
      [ -n "$include" ] || continue
      target=$(layer_of_include "$include" "$own")
      target_rank=$(rank "$target")
      if [ -z "$target_rank" ]; then
        echo "$file:$line: includes \"$include\", which is in no layer ($chain)"
        bad=1
      elif [ "$target_rank" -gt "$own_rank" ]; then
        echo "$file:$line: $own includes \"$include\", from $target, a layer above it ($chain)"
        bad=1
      elif [ "$target_rank" = "$own_rank" ] && [ "$target" != "$own" ]; then
        echo "$file:$line: $own includes \"$include\", from the program $target: programs do not include each other"
        bad=1
      fi
    done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file" |
      sed -E 's/^([0-9]+):[^"]*"([^"]*)".*/\1:\2/')
  fi
  if [ "$bad" = 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done < <(find src examples -type f \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.inc' \) | sort)

echo "layers: $passed passed, $failed failed"
[ "$failed" = 0 ]
