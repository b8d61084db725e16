// File: tools/podalloc/explain_report.h
// `podalloc explain`'s report for a person: the verdict, each topology manager merge with
// every provider's hints, and per container where its CPUs, memory and devices come from with
// every cgroup file it gets.
#pragma once

#include <ostream>

#include "podalloc/admission_explanation.h"

namespace podalloc::cli {

void PrintExplanation(const AdmissionExplanation& explanation, std::ostream& out);

}  // namespace podalloc::cli
