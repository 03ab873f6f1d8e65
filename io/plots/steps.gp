# bench/report.cpp: the CPU time of one descent step (or one whole solve) against the matrix's size, log-log.
# Settings: data (the CSV: n, then a column of µs per series, empty where it did not run), title, xlabel, keys;
# ylabel, if set (the whole solves at scale: "CPU time per solve").
stats data using 1 nooutput
columns = STATS_columns
set title title noenhanced
set xlabel xlabel
set ylabel (exists("ylabel") ? ylabel : "CPU time per step")
set logscale x
set logscale y
set ytics ("10 ns" 0.01, "100 ns" 0.1, "1 µs" 1, "10 µs" 10, "100 µs" 100, "1 ms" 1e3, "10 ms" 1e4, "100 ms" 1e5, \
           "1 s" 1e6, "10 s" 1e7)
set offsets graph 0.04, graph 0.04, graph 0.06, graph 0.06
# A tick at each size measured, from the first series' column of sizes.
plot data using 1:2:xtic(1) with linespoints lt 1 ps 0.8 title keys[1], \
     for [i = 3:columns] data using 1:i with linespoints lt i - 1 ps 0.8 title keys[i - 1]
