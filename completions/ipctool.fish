# SPDX-License-Identifier: ISC
# fish completion for ipctool(1)
# The candidates come from ipctool itself (`ipctool __complete WORDS...`,
# generated from its command table), so this file never lists an option.

function __ipctool_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] "$cur" 2>/dev/null)
    if test "$out" = ":files"
        __fish_complete_path "$cur"
    else
        printf '%s\n' $out
    end
end

complete -c ipctool -f -a '(__ipctool_complete)'
