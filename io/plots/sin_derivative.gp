# tensors_demo: sin(x), the tape's first and second derivatives of it, cos(x) and -sin(x), over [0, 2π]. The
# tape's points lie on cos and on -sin.
# Settings: data (the CSV: x, sin(x), tape: d/dx sin(x), cos(x), tape: d²/dx² sin(x), -sin(x)), title.
set title title noenhanced
set xlabel "x"
set ylabel "y"
set xtics ("0" 0, "π/2" pi / 2, "π" pi, "3π/2" 3 * pi / 2, "2π" 2 * pi)
plot data using 1:2 with lines lt 1 title columnhead(2), \
     data using 1:4 with lines lt 3 title columnhead(4), \
     data using 1:3 with points lt 2 pt 6 ps 0.7 title columnhead(3), \
     data using 1:6 with lines lt 4 title columnhead(6), \
     data using 1:5 with points lt 5 pt 4 ps 0.7 title columnhead(5)
