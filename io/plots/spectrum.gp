# demos/image_demo.cpp: a picture's singular values σ_j against j on log axes (so ranks 1, 5, 20 and 50 stand
# apart), LAPACK's every one and the descent's k largest over them; a dotted line at each rank the demo shows.
# Settings: data (the CSV: j, LAPACK's σ_j, the descent's σ_j, empty past its k), title, ranks (the ranks shown,
# as words: "1 5 20 50").
set title title noenhanced
set xlabel "j"
set ylabel "σ_j"
set logscale xy
set format x "%g"
set format y "10^{%L}"                       # never 1e-05
do for [k in ranks] {
    set arrow from k + 0, graph 0 to k + 0, graph 1 nohead dt 3 lw 1 lc "gray60"
    set label "k = " . k at k + 0, graph 1 left offset 0.3, -0.6 tc "gray40" font ",10"
}
positive(y) = y > 0 ? y : NaN               # a σ of 0 has no place on a log axis
plot data using 1:(positive($2)) with lines lt 1 title columnhead(2), \
     data using 1:(positive($3)) with points lt 2 ps 0.6 title columnhead(3)
