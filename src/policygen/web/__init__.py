"""`policygen serve`: a Swedish web page for officials over the library."""
