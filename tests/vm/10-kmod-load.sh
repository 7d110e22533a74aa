# cylcomed.ko loads, registers its generic-netlink family, and unloads
# cleanly, leaving nothing behind.
#
#   [ guest kernel ] <- insmod cylcomed.ko -> genl family "cylcomed" -> rmmod
. tests/vm/lib.sh

kmod_load
[ -d /sys/module/cylcomed ] || fail "/sys/module/cylcomed missing after insmod"
genl ctrl list > "$SCRATCH/families" || fail "genl ctrl list"
grep -q 'Name: cylcomed' "$SCRATCH/families" || fail "genl family cylcomed not registered"
dmesg | grep -q 'cylcomed: loaded, version' || fail "no load message in dmesg"

kmod_unload
[ ! -d /sys/module/cylcomed ] || fail "module still present after rmmod"
genl ctrl list | grep -q 'Name: cylcomed' && fail "genl family still registered after rmmod"

# Twice more, to catch leaks that only show on reload.
for i in 1 2; do
	kmod_load
	kmod_unload
done
dmesg | grep -q 'cylcomed: unloaded' || fail "no unload message in dmesg"
echo "cylcomed.ko load/unload clean"
