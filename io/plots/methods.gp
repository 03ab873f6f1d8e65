# bench/method_plots.cpp: each method's error against iteration on the tutorial's M1, log-log.
# Settings: data (the CSV: iteration, then a column per method, empty where it has no point), title, ylabel,
# keys (the legend, one a method), floor and floor_label (where double precision cannot tell the error from 0).
stats data using 1 nooutput
columns = STATS_columns
set title title noenhanced
set xlabel "iteration"
set ylabel ylabel
set logscale xy
set format y "10^{%L}"
set format x "10^{%L}"
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.22  # room under the floor for its label
set label floor_label . gprintf(" = %.1t·10^{%T}\na point on this line is at or below it, or 0", floor) \
    at graph 0.99, first floor right offset 0, -0.8 tc "gray40" font ",11"   # below the line, where no curve goes
plot for [i = 2:columns] data using 1:(until_floor(i, $1, column(i))) with linespoints lt i - 1 ps 0.5 title keys[i - 1], \
     for [i = 2:columns] data using 1:(at_floor(i, $1)) with points lt i - 1 ps 1.2 notitle, \
     floor with lines dt 2 lw 1 lc "gray40" notitle   # the floor, a function: so the y axis always reaches it
