// mlp: the flattened input -> width -> width, ReLU after each hidden layer, then dropout and
// the classifier width -> n_classes (models.h). `batchnorm` does not apply and is ignored.
#pragma once

#include <cstdint>
#include <memory>

#include "contract/params.h"
#include "train/models.h"

namespace rs::train {

std::shared_ptr<Model> make_mlp(int64_t inputs, int64_t n_classes, const contract::TrainConfig& config);

}  // namespace rs::train
