# The look every plot of tapegrad shares; io/plot.cpp puts it before each script, after the settings (which
# include `output`). Enhanced text: x^{2} is a superscript, σ_{LAPACK} a subscript; names are set noenhanced.
set terminal svg size 800,500 dynamic enhanced font "DejaVu Sans,13" background "white"
set output output
set datafile separator comma
set datafile columnheaders                   # the first line of a CSV names its columns
set title font ",16"
set border 3 lc "gray30"                     # the axes, not a box
set tics nomirror out
set grid xtics ytics lt 1 lc "gray90"        # at the labelled ticks only:
unset mxtics; unset mytics                   # no hatching between them
set key below reverse Left noenhanced height 1   # under the plot: a legend inside may cover a curve
set autoscale fix                            # axes fitted to the data, plus a margin:
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
# Ten colours that stay apart (matplotlib's), one a series, thicker than gnuplot's default lines.
set linetype 1 lc "#1f77b4" lw 2 pt 7; set linetype 2 lc "#ff7f0e" lw 2 pt 7; set linetype 3 lc "#2ca02c" lw 2 pt 7
set linetype 4 lc "#d62728" lw 2 pt 7; set linetype 5 lc "#9467bd" lw 2 pt 7; set linetype 6 lc "#8c564b" lw 2 pt 7
set linetype 7 lc "#e377c2" lw 2 pt 7; set linetype 8 lc "#7f7f7f" lw 2 pt 7; set linetype 9 lc "#bcbd22" lw 2 pt 7
set linetype 10 lc "#17becf" lw 2 pt 7
set linetype cycle 10

# A series ends where it first reaches `floor` (set by the script): below it double precision cannot tell the
# value from 0, and drawing it would show only rounding noise. until_floor(i, x, y) is y above the floor, `floor`
# at the first point at or below it (a zero too), and NaN, which gnuplot does not draw, after that. An empty cell
# is neither above nor below: it is passed on as it is, and gnuplot's line joins across it.
# at_floor(i, x) is `floor` at that first point only, to mark it.
array done[20]
array reached_x[20]
do for [k = 1:20] { done[k] = 0; reached_x[k] = NaN }
until_floor(i, x, y) = done[i] ? NaN : y > floor ? y : y <= floor ? (done[i] = 1, reached_x[i] = x, floor) : y
at_floor(i, x) = x == reached_x[i] ? floor : NaN
