# Reference values for `matwise analyze`, computed in R independently of the TypeScript engine.
#
# Run from the repository root:  Rscript scripts/stats/analyze-fixtures.R
# Writes src/core/stats/fixtures/analyze-reference.json, read by the vitest suite (R is not
# needed to run the tests). For each small data set it stores:
#   - lm(value ~ condition) over the measured days: the least-squares effect, its standard error
#     and residual degrees of freedom (the independent model's posterior is t(df) around them);
#   - the randomization test by brute force: every relabelling within blocks is built with
#     combn(), the statistic recomputed from scratch, and p(d) evaluated at a few shifts d.
suppressPackageStartupMessages(library(jsonlite))

out <- file.path("src", "core", "stats", "fixtures", "analyze-reference.json")

# All label vectors that permute the labels within each block (keeping the block's counts).
arrangements <- function(block, condition) {
  per_block <- lapply(split(seq_along(block), block), function(days) {
    n_a <- sum(condition[days] == "A")
    lapply(combn(length(days), n_a, simplify = FALSE), function(pick) list(days = days, a = days[pick]))
  })
  grid <- expand.grid(lapply(per_block, seq_along))
  lapply(seq_len(nrow(grid)), function(r) {
    lab <- rep("B", length(block))
    for (b in seq_along(per_block)) lab[per_block[[b]][[grid[r, b]]]$a] <- "A"
    lab
  })
}

statistic <- function(value, lab) {
  ok <- !is.na(value)
  a <- ok & lab == "A"
  b <- ok & lab == "B"
  if (!any(a) || !any(b)) return(NA)
  mean(value[a]) - mean(value[b])
}

p_at <- function(value, block, condition, shift) {
  shifted <- ifelse(condition == "A", value - shift, value)
  t_obs <- statistic(shifted, condition)
  ts <- vapply(arrangements(block, condition), function(lab) statistic(shifted, lab), numeric(1))
  ts <- ts[!is.na(ts)]
  list(p = mean(abs(ts) >= abs(t_obs) * (1 - 1e-9)), used = length(ts))
}

make_case <- function(name, description, date, block, condition, value, shifts) {
  fit <- lm(value ~ I(condition == "A"), na.action = na.omit)
  s <- summary(fit)$coefficients
  total <- length(arrangements(block, condition))
  tests <- lapply(shifts, function(d) {
    r <- p_at(value, block, condition, d)
    list(shift = d, p = r$p)
  })
  list(
    name = name, description = description,
    days = lapply(seq_along(date), function(i) list(
      date = date[i], block = block[i], condition = condition[i],
      value = if (is.na(value[i])) NULL else value[i]
    )),
    lm = list(effect = unname(s[2, 1]), se = unname(s[2, 2]), df = fit$df.residual),
    randomization = list(arrangements = total, used = p_at(value, block, condition, 0)$used, tests = tests)
  )
}

dates <- function(n, from = "2024-03-01") format(as.Date(from) + seq_len(n) - 1)

cases <- list(
  make_case("three-pairs", "3 pairs, the 8-arrangement example",
    dates(6), c(1, 1, 2, 2, 3, 3), c("A", "B", "B", "A", "A", "B"),
    c(1, 2, 5, 3, 2, 6), c(0, -2, 1)),
  make_case("pairs-missing", "6 pairs, two days missing (one a whole pair's A day)",
    dates(12), rep(1:6, each = 2), c("A","B","B","A","A","B","B","A","A","B","B","A"),
    c(4.1, 5.0, 6.2, NA, 3.9, 5.5, 6.0, 4.4, NA, 5.1, 5.8, 4.0), c(0, -1, -0.5, 0.7)),
  make_case("blocks-of-3-and-4", "blocks of 3 and 4 days with unequal counts and a missing day",
    dates(10), c(1, 1, 1, 2, 2, 2, 2, 3, 3, 3), c("A","B","B","B","A","A","B","A","B","A"),
    c(3.2, 4.8, 5.1, 6.0, 4.2, 3.9, NA, 2.5, 4.9, 3.0), c(0, -1.5, 0.5, -3)),
  make_case("skipped-arrangements", "missing days make some arrangements leave A or B without a measured day",
    dates(6), c(1, 1, 2, 2, 3, 3), c("A", "B", "B", "A", "B", "A"),
    c(2.0, NA, 3.5, NA, NA, 2.4), c(0, -1))
)

writeLines(toJSON(cases, auto_unbox = TRUE, digits = NA, null = "null"), out)
for (cs in cases) cat(cs$name, ": lm effect", cs$lm$effect, "se", cs$lm$se, "df", cs$lm$df,
  "| arrangements", cs$randomization$arrangements, "used", cs$randomization$used,
  "p(0)", cs$randomization$tests[[1]]$p, "\n")
