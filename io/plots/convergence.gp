# The demos' loss per iteration (demos/cli.cpp, LossCurves): one curve a run, on a log axis.
# Settings: data (the CSV: iteration, then a column per run), title, ylabel, keys (the legend, one a run),
# floor (where a loss is rounding noise).
stats data using 1 nooutput
columns = STATS_columns
every_nth = 1 + int(STATS_records / 4000)    # at most ~4,000 points a curve: the plot is 530 pixels wide
set title title noenhanced
set xlabel "iteration"
set ylabel ylabel
set logscale y
set format y "10^{%L}"                       # never 1e-05
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.1   # room under the floor for its label
set label gprintf("rounding floor of double precision, %.0t·10^{%T}", floor) at graph 0.99, first floor \
    right offset 0, -0.7 tc "gray40" font ",11"   # below the line, where no curve goes
plot for [i = 2:columns] data using 1:(until_floor(i, $1, column(i))) every every_nth with lines lt i - 1 title keys[i - 1], \
     for [i = 2:columns] data using 1:(at_floor(i, $1)) every every_nth with points lt i - 1 ps 0.8 notitle, \
     floor with lines dt 2 lw 1 lc "gray40" notitle   # the floor, a function: so the y axis always reaches it
