# fish completion for ipctool(1)

function __ipctool_targets --argument-names kind
    # live objects of one family, as `ipctool list` prints them (id:N, /NAME)
    set -l cmd (commandline -opc)[1]
    $cmd list --$kind -o TARGET --raw --no-headings 2>/dev/null
end

# true when the command line is "ipctool OBJ VERB ..."
function __ipctool_is --argument-names obj verb
    set -l w (commandline -opc)
    test (count $w) -ge 3; and test "$w[2]" = $obj; and test "$w[3]" = $verb
end

set -l objs sem shm mq
set -l cmds sem shm mq list rm key info
complete -c ipctool -f
complete -c ipctool -n "not __fish_seen_subcommand_from $cmds" -a "$cmds"
complete -c ipctool -n "not __fish_seen_subcommand_from $cmds" -l ns -r -d 'run in the IPC namespace of PID or FILE'
complete -c ipctool -l help -d 'show usage'

complete -c ipctool -n "__fish_seen_subcommand_from sem; and not __fish_seen_subcommand_from create acquire release z value op stat set rm" -a 'create acquire release z value op stat set rm'
complete -c ipctool -n "__fish_seen_subcommand_from shm; and not __fish_seen_subcommand_from create read write attach stat set rm" -a 'create read write attach stat set rm'
complete -c ipctool -n "__fish_seen_subcommand_from mq; and not __fish_seen_subcommand_from create send receive notify stat set rm" -a 'create send receive notify stat set rm'

for o in $objs
    for v in acquire release z value op stat set rm read write attach send receive notify
        complete -c ipctool -n "__ipctool_is $o $v" -a "(__ipctool_targets $o)"
    end
end

# sem
complete -c ipctool -n '__ipctool_is sem create' -s n -l nsems -r -d 'members'
complete -c ipctool -n '__ipctool_is sem create' -s v -l value -r -d 'initial value'
complete -c ipctool -n '__ipctool_is sem create' -s m -l mode -r -d 'octal mode'
complete -c ipctool -n '__ipctool_is sem create' -l exist-ok -d 'open an existing set'
complete -c ipctool -n '__ipctool_is sem create' -s t -l timeout -r -d 'wait for initialisation'
complete -c ipctool -n '__ipctool_is sem create' -l manifest -r -F -d 'append to manifest'
complete -c ipctool -n '__ipctool_is sem create' -l json -d 'print the record'
for v in acquire release
    complete -c ipctool -n "__ipctool_is sem $v" -s d -l delta -r -d 'amount'
end
for v in acquire release z value set
    complete -c ipctool -n "__ipctool_is sem $v" -s i -l index -r -d 'member'
end
for v in acquire z op
    complete -c ipctool -n "__ipctool_is sem $v" -s t -l timeout -r -d 'wait at most SECS'
    complete -c ipctool -n "__ipctool_is sem $v" -l nowait -d 'exit 1 instead of waiting'
    complete -c ipctool -n "__ipctool_is sem $v" -s E -l conflict-exit-code -r -d 'exit code when busy'
end
complete -c ipctool -n '__ipctool_is sem acquire' -s u -l undo -d 'SEM_UNDO (with -- CMD)'
complete -c ipctool -n '__ipctool_is sem set' -l value -r -d 'set the value'

# shm
complete -c ipctool -n '__ipctool_is shm create' -s s -l size -r -d 'size (K, M, G)'
complete -c ipctool -n '__ipctool_is shm create' -s m -l mode -r -d 'octal mode'
complete -c ipctool -n '__ipctool_is shm create' -l fill -r -d 'fill byte'
complete -c ipctool -n '__ipctool_is shm create' -l hugetlb -d 'huge pages'
complete -c ipctool -n '__ipctool_is shm create' -l noreserve -d 'no swap reservation'
complete -c ipctool -n '__ipctool_is shm create' -l exist-ok -d 'open an existing segment'
complete -c ipctool -n '__ipctool_is shm create' -l manifest -r -F -d 'append to manifest'
complete -c ipctool -n '__ipctool_is shm create' -l json -d 'print the record'
complete -c ipctool -n '__ipctool_is shm read' -s o -l offset -r -d 'offset'
complete -c ipctool -n '__ipctool_is shm read' -s c -l count -r -d 'bytes'
complete -c ipctool -n '__ipctool_is shm write' -s o -l offset -r -d 'offset'
complete -c ipctool -n '__ipctool_is shm attach' -l rdonly -d 'read only'
complete -c ipctool -n '__ipctool_is shm attach' -l address -r -d 'address'
complete -c ipctool -n '__ipctool_is shm attach' -l rnd -d 'round the address down'
complete -c ipctool -n '__ipctool_is shm attach' -l remap -d 'replace a mapping'
complete -c ipctool -n '__ipctool_is shm attach' -l hold -d 'stay attached'
complete -c ipctool -n '__ipctool_is shm set' -l lock -d 'SHM_LOCK'
complete -c ipctool -n '__ipctool_is shm set' -l unlock -d 'SHM_UNLOCK'
complete -c ipctool -n '__ipctool_is shm set' -l size -r -d 'POSIX size'

# mq
complete -c ipctool -n '__ipctool_is mq create' -s m -l mode -r -d 'octal mode'
complete -c ipctool -n '__ipctool_is mq create' -l max-bytes -r -d 'msg_qbytes'
complete -c ipctool -n '__ipctool_is mq create' -l max-messages -r -d 'POSIX mq_maxmsg'
complete -c ipctool -n '__ipctool_is mq create' -l message-size -r -d 'POSIX mq_msgsize'
complete -c ipctool -n '__ipctool_is mq create' -l exist-ok -d 'open an existing queue'
complete -c ipctool -n '__ipctool_is mq create' -l manifest -r -F -d 'append to manifest'
complete -c ipctool -n '__ipctool_is mq create' -l json -d 'print the record'
for v in send receive
    complete -c ipctool -n "__ipctool_is mq $v" -s T -l type -r -d 'message type'
    complete -c ipctool -n "__ipctool_is mq $v" -s t -l timeout -r -d 'wait at most SECS'
    complete -c ipctool -n "__ipctool_is mq $v" -l nowait -d 'do not wait'
    complete -c ipctool -n "__ipctool_is mq $v" -l lines -d 'one message a line'
    complete -c ipctool -n "__ipctool_is mq $v" -s E -l conflict-exit-code -r -d 'exit code when busy'
end
complete -c ipctool -n '__ipctool_is mq send' -s p -l priority -r -d 'POSIX priority'
complete -c ipctool -n '__ipctool_is mq receive' -l except -d 'any type but TYPE'
complete -c ipctool -n '__ipctool_is mq receive' -s c -l count -r -d 'messages'
complete -c ipctool -n '__ipctool_is mq receive' -l follow -d 'until interrupted'
complete -c ipctool -n '__ipctool_is mq receive' -l print-type -d 'prefix type or priority'
complete -c ipctool -n '__ipctool_is mq set' -l max-bytes -r -d 'msg_qbytes'
complete -c ipctool -n '__ipctool_is mq notify' -s t -l timeout -r -d 'wait at most SECS'
complete -c ipctool -n '__ipctool_is mq notify' -l nowait -d 'only look'
complete -c ipctool -n '__ipctool_is mq notify' -s E -l conflict-exit-code -r -d 'exit code when busy'

for o in $objs
    complete -c ipctool -n "__ipctool_is $o set" -l mode -r -d 'octal mode'
    complete -c ipctool -n "__ipctool_is $o set" -l owner -r -a '(__fish_complete_users)' -d 'USER[:GROUP]'
    complete -c ipctool -n "__ipctool_is $o stat" -l json -d 'JSON'
    complete -c ipctool -n "__ipctool_is $o stat" -l raw -d 'raw fields'
    complete -c ipctool -n "__ipctool_is $o stat" -l export -d 'NAME="value" pairs'
    complete -c ipctool -n "__ipctool_is $o stat" -s o -l output -r -d 'columns'
    complete -c ipctool -n "__ipctool_is $o stat" -l no-headings -d 'no heading line'
end

# list, rm, key, info
for c in list rm
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l sem -d 'semaphores'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l shm -d 'shared memory'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l mq -d 'message queues'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l sysv -d 'System V only'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l posix -d 'POSIX only'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l owner -r -a '(__fish_complete_users)'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l creator -r -a '(__fish_complete_users)'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l key -r -d 'key'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l orphaned -d 'no live user'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l older-than -r -d 'DURATION'
    complete -c ipctool -n "__fish_seen_subcommand_from $c" -l empty -d 'queues with no messages'
end
complete -c ipctool -n '__fish_seen_subcommand_from list' -l pids -d 'attached processes'
complete -c ipctool -n '__fish_seen_subcommand_from list info' -l json -d 'JSON'
complete -c ipctool -n '__fish_seen_subcommand_from list info' -l raw -d 'raw fields'
complete -c ipctool -n '__fish_seen_subcommand_from list info' -l export -d 'NAME="value" pairs'
complete -c ipctool -n '__fish_seen_subcommand_from list info' -s o -l output -r -d 'columns'
complete -c ipctool -n '__fish_seen_subcommand_from list info' -l no-headings -d 'no heading line'
complete -c ipctool -n '__fish_seen_subcommand_from rm' -l all -d 'every object the filters select'
complete -c ipctool -n '__fish_seen_subcommand_from rm' -l manifest -r -F -d 'remove what a manifest lists'
complete -c ipctool -n '__fish_seen_subcommand_from rm' -l dry-run -d 'print, remove nothing'
complete -c ipctool -n '__fish_seen_subcommand_from rm' -s v -l verbose -d 'report each removal'
complete -c ipctool -n '__fish_seen_subcommand_from rm' -a '(__ipctool_targets sem; __ipctool_targets shm; __ipctool_targets mq)'
complete -c ipctool -n '__fish_seen_subcommand_from key' -F
