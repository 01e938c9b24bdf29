"""kachestvo: data packages of a municipality's school-improvement work, published as a static site."""
