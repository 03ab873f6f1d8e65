# The ctest install_and_use: installs tapegrad from BUILD_DIR into WORK/prefix (cmake --install), then configures,
# builds and runs the project in this folder against it, as a separate CMake project would.
# cmake -DBUILD_DIR=... -DWORK=... -DEXAMPLE=... -P run.cmake
file(REMOVE_RECURSE ${WORK})
function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "failed (${status}): ${ARGN}\n${out}")
  endif()
endfunction()
step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK}/prefix)
foreach(header include/tapegrad/autodiff/autodiff.hpp include/tapegrad/linalg/svd/svd.hpp lib/cmake/tapegrad/tapegradConfig.cmake)
  if(NOT EXISTS ${WORK}/prefix/${header})
    message(FATAL_ERROR "cmake --install did not install ${header}")
  endif()
endforeach()
step(${CMAKE_COMMAND} -S ${CMAKE_CURRENT_LIST_DIR} -B ${WORK}/build -DCMAKE_BUILD_TYPE=Release
     -DCMAKE_PREFIX_PATH=${WORK}/prefix -DEXAMPLE=${EXAMPLE})
step(${CMAKE_COMMAND} --build ${WORK}/build)
step(${WORK}/build/app)
file(REMOVE_RECURSE ${WORK})
message(STATUS "the README's example built and ran against the installed tapegrad")
